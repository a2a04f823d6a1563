"""Write the demo profiles seed_data/entrepreneurs.csv and seed_data/diaspora.csv.

Deterministic: a fixed seed, so running it twice writes byte-identical files. The files
use the CSV import format (seed_data/README.md), so `flask seed` simply imports them.

    python seed_data/generate.py                 # regenerate the two CSV files
    python seed_data/generate.py --kiva FILE     # first re-extract kiva_agricultural_uses.csv

Everything is invented except the loan purposes, which are real agricultural `use`
texts from Kiva's public loan data (CC0; see seed_data/README.md).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

# The profile forms' limit, in units of whatever currency the amount is in.
from mentormatch.profiles.service import MAX_INVESTMENT_AMOUNT

T = TypeVar("T")
SEED = 20250601
N_ENTREPRENEURS = 320
N_DIASPORA = 160
HERE = Path(__file__).resolve().parent
TAXONOMY = HERE / "taxonomy"
KIVA_USES = HERE / "kiva_agricultural_uses.csv"

ENTREPRENEUR_COLUMNS = (
    "full_name", "email", "phone", "business_name", "description", "country", "region",
    "locality", "stage", "value_chains", "skills_needed", "skills_needed_text", "languages",
    "seeking_investment", "investment_amount", "investment_currency", "investment_instruments",
    "is_returnee", "is_women_led", "is_youth_led",
)  # fmt: skip
DIASPORA_COLUMNS = (
    "full_name", "email", "phone", "headline", "bio", "residence_country", "origin_regions",
    "interest_regions", "value_chains", "skills_offered", "skills_offered_text", "languages",
    "preferred_stages", "offers_coaching", "mentee_capacity", "hours_per_month",
    "offers_investment", "ticket_min", "ticket_max", "ticket_currency", "investment_instruments",
)  # fmt: skip


# --- people and places ---------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    """People of one area of a country: where they live, what they speak, their names."""

    regions: dict[str, tuple[str, ...]]  # ISO 3166-2 region -> towns
    languages: tuple[str, ...]
    men: tuple[str, ...]
    women: tuple[str, ...]
    surnames: tuple[str, ...]
    two_surnames: bool = False  # Guatemala: paternal and maternal surname


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


COMMUNITIES: dict[str, tuple[Community, ...]] = {
    "ET": (
        Community(
            {"ET-OR": ("Jimma", "Adama", "Shashemene", "Nekemte", "Asella")},
            ("orm", "amh"),
            _names("Chala, Gemechu, Tolosa, Lemma, Abdi, Fayisa, Dereje, Boru, Obsa, Kedir"),
            _names("Ayantu, Chaltu, Obse, Hawi, Lensa, Bontu, Meseret, Tigist, Sena, Kulani"),
            _names("Gudina, Tolosa, Gemechu, Dibaba, Feyisa, Regassa, Bulcha, Negash, Dinka"),
        ),
        Community(
            {"ET-AM": ("Bahir Dar", "Gondar", "Debre Markos", "Dessie", "Debre Birhan")},
            ("amh",),
            _names("Abebe, Dawit, Getachew, Solomon, Mulugeta, Yonas, Tadesse, Girma, Biniam"),
            _names("Almaz, Tigist, Hirut, Selam, Aster, Mekdes, Genet, Bethlehem, Eleni, Hanna"),
            _names("Alemu, Mekonnen, Wolde, Kebede, Desta, Ayele, Tesfaye, Assefa, Bekele"),
        ),
        Community(
            {
                "ET-SI": ("Hawassa", "Yirgalem", "Aleta Wendo"),
                "ET-SN": ("Wolaita Sodo", "Arba Minch", "Dilla"),
                "ET-SW": ("Bonga", "Mizan Teferi"),
            },
            ("sid", "amh"),
            _names("Tamiru, Abera, Teshome, Markos, Desalegn, Wondimu, Tekalign, Ermias"),
            _names("Tsehay, Mulunesh, Alemitu, Birtukan, Martha, Zenebech, Tarikua, Abebech"),
            _names("Dukamo, Hirbaye, Lemma, Abera, Wako, Shiferaw, Dana, Tumato"),
        ),
        Community(
            {"ET-TI": ("Mekelle", "Adigrat", "Axum", "Alamata")},
            ("tir", "amh"),
            _names("Gebremedhin, Haile, Tekle, Berhane, Kidane, Mebrahtu, Yohannes, Goitom"),
            _names("Mebrat, Hiwet, Rahel, Saba, Tirhas, Yirgalem, Lemlem, Senait"),
            _names("Gebre, Tesfamariam, Berhe, Hagos, Kahsay, Abraha, Gebreyesus, Weldu"),
        ),
    ),
    "KE": (
        Community(
            {
                "KE-13": ("Limuru", "Githunguri", "Kiambu"),
                "KE-36": ("Othaya", "Karatina", "Nyeri"),
                "KE-29": ("Kangema", "Kandara"),
            },
            ("kik", "swa", "eng"),
            _names("John, Peter, James, Joseph, Samuel, Stephen, Paul, Francis, Simon"),
            _names("Mary, Grace, Esther, Lucy, Ann, Jane, Wanjiku, Njeri, Wambui, Nyambura"),
            _names("Kamau, Mwangi, Njoroge, Kariuki, Githinji, Maina, Ndungu, Waweru, Gachanja"),
        ),
        Community(
            {
                "KE-17": ("Ahero", "Maseno", "Kisumu"),
                "KE-38": ("Bondo", "Ugunja"),
            },
            ("luo", "swa", "eng"),
            _names("Otieno, Ochieng, Odhiambo, Kennedy, George, Tom, Erick, Victor, Dennis"),
            _names("Achieng, Atieno, Akinyi, Awino, Adhiambo, Millicent, Rose, Beatrice, Pamela"),
            _names("Onyango, Owino, Okoth, Omondi, Ouma, Odera, Oduor, Otieno, Were"),
        ),
        Community(
            {
                "KE-12": ("Kericho", "Litein", "Londiani"),
                "KE-44": ("Eldoret", "Moiben", "Burnt Forest"),
            },
            ("kln", "swa", "eng"),
            _names("Kiprotich, Kibet, Kipchumba, Kiprono, Cheruiyot, Kipkemboi, Daniel, Wesley"),
            _names("Chebet, Jepkoech, Chepkemoi, Jerotich, Cherono, Faith, Sharon, Mercy"),
            _names("Koech, Rotich, Langat, Kirui, Ngetich, Kiptoo, Bett, Sang, Mutai"),
        ),
        Community(
            {
                "KE-22": ("Machakos", "Kangundo", "Masii"),
                "KE-23": ("Wote", "Mtito Andei"),
            },
            ("kam", "swa", "eng"),
            _names("Mutua, Musyoka, Kioko, Muli, Nzioka, Benson, Patrick, Justus"),
            _names("Mutheu, Mwikali, Ndinda, Kavata, Mwende, Faith, Ruth, Agnes"),
            _names("Mwendwa, Kyalo, Wambua, Nzomo, Munyao, Kilonzo, Mumo, Ndambuki"),
        ),
        Community(
            {
                "KE-26": ("Meru", "Nkubu", "Timau"),
                "KE-31": ("Njoro", "Molo", "Naivasha"),
            },
            ("swa", "eng"),
            _names("Murithi, Kirimi, Gitonga, Brian, Kevin, Dennis, Collins, Eric"),
            _names("Kendi, Nkatha, Kawira, Gatwiri, Caroline, Purity, Doris, Irene"),
            _names("Mutuma, Mwiti, Kinoti, Muriuki, Mugambi, Kaberia, Nkonge, Mbaabu"),
        ),
    ),
    "NG": (
        Community(
            {
                "NG-KN": ("Dawakin Kudu", "Wudil", "Bichi", "Gaya", "Rano"),
                "NG-KD": ("Zaria", "Kafanchan", "Ikara"),
                "NG-KT": ("Funtua", "Malumfashi", "Daura"),
                "NG-NI": ("Bida", "Mokwa", "Kontagora"),
            },
            ("hau", "eng"),
            _names("Musa, Ibrahim, Abdullahi, Sani, Yusuf, Aliyu, Umar, Bashir, Aminu, Nasiru"),
            _names("Amina, Aisha, Fatima, Hauwa, Zainab, Halima, Hadiza, Maryam, Rukayya, Bilkisu"),
            _names("Bello, Abubakar, Garba, Danjuma, Lawal, Sule, Yakubu, Shehu, Usman, Idris"),
        ),
        Community(
            {
                "NG-OY": ("Ogbomosho", "Iseyin", "Saki"),
                "NG-OG": ("Abeokuta", "Ijebu-Ode", "Ilaro"),
                "NG-OS": ("Iwo", "Ilesa", "Ede"),
            },
            ("yor", "eng", "pcm"),
            _names("Oluwaseun, Babatunde, Tunde, Adebayo, Femi, Segun, Kayode, Wale, Gbenga"),
            _names("Funke, Yetunde, Bisi, Folake, Adunni, Kemi, Titilayo, Bukola, Morenike"),
            _names("Adeyemi, Ogunleye, Balogun, Adebayo, Olawale, Akinola, Oyelaran, Ojo, Alabi"),
        ),
        Community(
            {
                "NG-EN": ("Nsukka", "Udi", "Awgu"),
                "NG-AN": ("Awka", "Ihiala", "Aguata"),
                "NG-IM": ("Okigwe", "Orlu", "Mbaise"),
            },
            ("ibo", "eng", "pcm"),
            _names("Chinedu, Emeka, Obinna, Ikenna, Chukwuemeka, Nnamdi, Uchenna, Kelechi"),
            _names("Ngozi, Chiamaka, Adaeze, Ifeoma, Nkechi, Chioma, Amarachi, Obiageli"),
            _names("Okafor, Eze, Nwosu, Okonkwo, Nwachukwu, Obi, Ugwu, Onyeka, Anyanwu"),
        ),
        Community(
            {
                "NG-BE": ("Makurdi", "Gboko", "Otukpo"),
                "NG-PL": ("Jos", "Mangu", "Pankshin"),
            },
            ("eng", "hau", "pcm"),
            _names("Terver, Samuel, Daniel, Dauda, Joseph, Msugh, Dung, Emmanuel"),
            _names("Doosuur, Mary, Comfort, Esther, Ladi, Mngohol, Rifkatu, Blessing"),
            _names("Iorfa, Akaa, Gyang, Dung, Pam, Agbo, Orkar, Tyokase, Davou"),
        ),
    ),
    "SN": (
        Community(
            {
                "SN-TH": ("Mboro", "Tivaouane", "Pout", "Mbour"),
                "SN-DB": ("Bambey", "Mbacké"),
                "SN-LG": ("Kébémer", "Linguère"),
                "SN-KL": ("Nioro du Rip", "Kaolack"),
            },
            ("wol", "fra"),
            _names("Moussa, Mamadou, Cheikh, Ousmane, Ibrahima, Modou, Abdoulaye, Serigne"),
            _names("Fatou, Aminata, Awa, Khady, Mariama, Ndeye, Astou, Coumba, Rokhaya"),
            _names("Diop, Ndiaye, Fall, Gueye, Mbaye, Seck, Wade, Cissé, Niang"),
        ),
        Community(
            {
                "SN-SL": ("Richard-Toll", "Dagana", "Podor"),
                "SN-MT": ("Matam", "Kanel", "Ourossogui"),
            },
            ("fuc", "wol", "fra"),
            _names("Amadou, Oumar, Samba, Demba, Alassane, Boubacar, Hamidou, Mamoudou"),
            _names("Penda, Kadiata, Dieynaba, Hawa, Maimouna, Oumou, Coumba, Aissata"),
            _names("Ba, Sow, Diallo, Kane, Ly, Barry, Sy, Wane, Dia"),
        ),
        Community(
            {"SN-FK": ("Fatick", "Foundiougne", "Sokone")},
            ("srr", "wol", "fra"),
            _names("Waly, Latyr, Ndiouga, Diégane, Moustapha, Pierre, Joseph, Omar"),
            _names("Yacine, Ngoné, Sokhna, Marie, Ndèye, Dibor, Bineta, Fama"),
            _names("Diouf, Faye, Ndour, Sène, Thiaw, Sarr, Ngom, Dione"),
        ),
        Community(
            {"SN-ZG": ("Bignona", "Oussouye", "Ziguinchor"), "SN-SE": ("Goudomp", "Sédhiou")},
            ("dyo", "fra", "wol"),
            _names("Lamine, Sidy, Ansoumana, Bakary, Paul, Jean, Ismaïla, Malang"),
            _names("Marie, Khadidiatou, Aïssatou, Fatoumata, Awa, Rose, Seynabou, Néné"),
            _names("Diatta, Sagna, Badji, Manga, Sambou, Coly, Diédhiou, Tendeng"),
        ),
    ),
    "MA": (
        Community(
            {
                "MA-03": ("Meknès", "Sefrou", "Taounate"),
                "MA-04": ("Sidi Slimane", "Sidi Kacem", "Khémisset"),
                "MA-01": ("Chefchaouen", "Larache", "Ouazzane"),
            },
            ("ary", "ara", "fra"),
            _names("Mohamed, Youssef, Hamza, Omar, Rachid, Karim, Abdelilah, Said, Anas"),
            _names("Fatima Zahra, Khadija, Salma, Nadia, Meryem, Imane, Samira, Houda, Sanae"),
            _names("El Amrani, Benali, Alaoui, Bennani, Tazi, El Idrissi, Chraibi, Berrada"),
        ),
        Community(
            {
                "MA-09": ("Taroudant", "Tiznit", "Ait Baha", "Chtouka"),
                "MA-07": ("Essaouira", "Chichaoua", "Amizmiz"),
            },
            ("shi", "ary", "fra"),
            _names("Brahim, Lahcen, Ahmed, Hassan, Aziz, Mbarek, Abdellah, Lhoussaine"),
            _names("Fadma, Aicha, Zahra, Yamna, Naima, Itto, Hafida, Malika"),
            _names("Ait Ali, Oubaha, Amzil, Ouchen, Ait Lahcen, Bouzid, Aznag, Idbelkas"),
        ),
        Community(
            {
                "MA-05": ("Azilal", "Khénifra", "Béni Mellal"),
                "MA-08": ("Errachidia", "Midelt", "Ouarzazate", "Tinghir"),
            },
            ("tzm", "ary", "fra"),
            _names("Moha, Driss, Hammou, Lahoucine, Mustapha, Said, Idir, Aziz"),
            _names("Itto, Touda, Mimouna, Zahra, Rkia, Fatna, Tamou, Hadda"),
            _names("Oulhaj, Amahrouch, Ait Hammou, Ouaziz, Moujane, Akdim, Oussaid, Baddou"),
        ),
    ),
    "TJ": (
        Community(
            {
                "TJ-KT": ("Bokhtar", "Kulob", "Vahdat", "Danghara"),
                "TJ-RA": ("Rasht", "Hisor", "Tursunzoda"),
                "TJ-SU": ("Isfara", "Panjakent", "Istaravshan"),
            },
            ("tgk", "rus"),
            _names("Firdavs, Rustam, Jamshed, Farrukh, Bakhtiyor, Sherzod, Davlat, Umed"),
            _names("Madina, Nigina, Zarina, Gulnora, Shahnoza, Farzona, Mohira, Dilnoza"),
            _names("Rahimov, Nazarov, Saidov, Karimov, Sharipov, Davlatov, Rahmonzoda, Safarzoda"),
        ),
        Community(
            {"TJ-SU": ("Khujand", "Spitamen", "Jabbor Rasulov", "Konibodom")},
            ("uzb", "tgk", "rus"),
            _names("Akmal, Bahodir, Sardor, Ulugbek, Otabek, Jasur, Anvar, Rustam"),
            _names("Gulnara, Dilfuza, Nodira, Feruza, Sevara, Mukhlisa, Zulfiya, Lola"),
            _names("Yusupov, Usmonov, Ergashev, Tursunov, Hasanov, Mirzaev, Qodirov, Aliev"),
        ),
        Community(
            {"TJ-GB": ("Khorugh", "Ishkoshim", "Rushon")},
            ("tgk", "rus"),
            _names("Alisher, Mamadsho, Davlatsho, Nazarsho, Khushbakht, Shodi, Gulmamad"),
            _names("Gulbahor, Mohigul, Sitora, Nazira, Gulchehra, Parvina, Shirin"),
            _names("Mamadshoev, Shodmonov, Alidodov, Nazarshoev, Gulomaliev, Khudoberdiev"),
        ),
    ),
    "GT": (
        Community(
            {
                "GT-13": ("Huehuetenango", "La Democracia", "Todos Santos Cuchumatán"),
                "GT-12": ("San Pedro Sacatepéquez", "Tacaná", "Comitancillo"),
            },
            ("mam", "spa"),
            _names("José, Juan, Pedro, Francisco, Marvin, Edwin, Byron, Santiago"),
            _names("María, Ana, Rosa, Juana, Marta, Sandra, Lucía, Candelaria"),
            _names("Pérez, Ramírez, Mejía, López, Domingo, Gómez, Jiménez, Bautista"),
            two_surnames=True,
        ),
        Community(
            {
                "GT-14": ("Santa Cruz del Quiché", "Chichicastenango", "Nebaj"),
                "GT-08": ("Totonicapán", "Momostenango"),
                "GT-09": ("Quetzaltenango", "Almolonga", "Zunil"),
            },
            ("quc", "spa"),
            _names("Diego, Tomás, Manuel, Sebastián, Miguel, Andrés, Gaspar, Nicolás"),
            _names("Manuela, Catarina, Tomasa, Micaela, Petrona, Francisca, Elena, Isabel"),
            _names("Tzoc, Tzul, Ajpop, Tum, Quiej, Chanchavac, Us, Xiloj, García"),
            two_surnames=True,
        ),
        Community(
            {
                "GT-04": ("Patzún", "Tecpán", "San Martín Jilotepeque"),
                "GT-07": ("Sololá", "Santiago Atitlán", "San Lucas Tolimán"),
                "GT-03": ("Antigua Guatemala", "Sumpango"),
            },
            ("cak", "spa"),
            _names("Esteban, Julio, Mario, Héctor, Rolando, Felipe, Lorenzo, Rigoberto"),
            _names("Rosario, Gloria, Olga, Magdalena, Dominga, Irma, Sonia, Marleny"),
            _names("Xocop, Sicán, Boc, Cúmez, Yool, Sirín, Chicol, Tuyuc, Morales"),
            two_surnames=True,
        ),
        Community(
            {
                "GT-16": ("Cobán", "San Pedro Carchá", "Lanquín"),
                "GT-17": ("Sayaxché", "Poptún"),
            },
            ("kek", "spa"),
            _names("Carlos, Alfredo, Rogelio, Oswaldo, Domingo, Arnoldo, Efraín, Abelino"),
            _names("Angélica, Marta, Hortensia, Flor, Carmela, Irma, Romelia, Yolanda"),
            _names("Caal, Choc, Xol, Tiul, Pop, Cuc, Maquin, Coc, Chub"),
            two_surnames=True,
        ),
        Community(
            {
                "GT-20": ("Esquipulas", "Jocotán", "Quezaltepeque"),
                "GT-22": ("Jutiapa", "Asunción Mita", "El Progreso"),
            },
            ("spa",),
            _names("Luis, Carlos, Miguel, Oscar, Jorge, Erick, Walter, Selvin"),
            _names("Carmen, Gladys, Karla, Lesbia, Heidy, Yessenia, Glenda, Mirna"),
            _names("Morales, Hernández, García, Castillo, Orellana, Véliz, Cordón, Guerra"),
            two_surnames=True,
        ),
    ),
    "PH": (
        Community(
            {
                "PH-01": ("Batac", "Laoag", "Vigan", "Agoo"),
                "PH-02": ("Tuguegarao", "Ilagan", "Santiago"),
            },
            ("ilo", "tgl", "eng"),
            _names("Rodel, Ramil, Jerome, Arnel, Rogelio, Danilo, Ernesto, Florante"),
            _names("Rosalinda, Marites, Jocelyn, Analyn, Lorna, Erlinda, Leonora, Teresita"),
            _names("Agbayani, Pascual, Ramos, Tabios, Galang, Domingo, Agustin, Ancheta"),
        ),
        Community(
            {
                "PH-03": ("Cabanatuan", "Tarlac", "Muñoz", "San Jose"),
                "PH-40": ("Lipa", "Tanauan", "Los Baños"),
                "PH-41": ("Calapan", "Puerto Princesa", "Roxas"),
            },
            ("tgl", "eng"),
            _names("Jose, Juan, Mark, Joel, Ronaldo, Eduardo, Ricardo, Paolo"),
            _names("Maria, Cristina, Maricel, Rowena, Liza, Jennifer, Marilou, Ailene"),
            _names("Santos, Reyes, Cruz, Bautista, Dela Cruz, Garcia, Mendoza, Aquino"),
        ),
        Community(
            {"PH-06": ("Iloilo", "Passi", "Kalibo", "Roxas City")},
            ("hil", "tgl", "eng"),
            _names("Rey, Nonoy, Dodong, Alberto, Ramon, Jonathan, Roberto, Felix"),
            _names("Gina, Nenita, Luz, Susana, Rosario, Evangeline, Grace, Merlie"),
            _names("Gallego, Jalandoni, Villalobos, Sarabia, Tupas, Ledesma, Lopez, Sumagaysay"),
        ),
        Community(
            {
                "PH-07": ("Liloan", "Bogo", "Tagbilaran", "Carmen"),
                "PH-10": ("Malaybalay", "Valencia", "Gingoog"),
                "PH-11": ("Tagum", "Digos", "Panabo"),
            },
            ("ceb", "tgl", "eng"),
            _names("Jun, Romeo, Allan, Virgilio, Rolando, Ariel, Benjie, Junrey"),
            _names("Jessa, Rubylyn, Cherry, Lovely, Marivic, Elena, Nida, Gemma"),
            _names("Cabahug, Villanueva, Alcantara, Abellana, Pepito, Tumulak, Sabanal, Ybañez"),
        ),
    ),
}

# Where the diaspora lives: the usual language and a few cities of each destination.
DESTINATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "US": ("eng", "USD", ("Washington DC", "Minneapolis", "Seattle", "Atlanta", "Houston",
                          "Los Angeles", "New York", "Columbus")),
    "DE": ("deu", "EUR", ("Frankfurt", "Berlin", "Munich", "Cologne")),
    "SE": ("swe", "SEK", ("Stockholm", "Gothenburg", "Malmö")),
    "SA": ("ara", "SAR", ("Riyadh", "Jeddah", "Dammam")),
    "IL": ("heb", "ILS", ("Tel Aviv", "Jerusalem", "Haifa")),
    "FR": ("fra", "EUR", ("Paris", "Lyon", "Marseille", "Bordeaux", "Montpellier")),
    "IT": ("ita", "EUR", ("Milan", "Turin", "Rome", "Brescia", "Bologna")),
    "ES": ("spa", "EUR", ("Barcelona", "Madrid", "Almería", "Murcia")),
    "BE": ("fra", "EUR", ("Brussels", "Liège", "Antwerp")),
    "NL": ("nld", "EUR", ("Amsterdam", "Rotterdam", "Utrecht", "The Hague")),
    "RU": ("rus", "RUB", ("Moscow", "Saint Petersburg", "Yekaterinburg", "Novosibirsk")),
    "KZ": ("rus", "KZT", ("Almaty", "Astana", "Shymkent")),
    "MX": ("spa", "MXN", ("Mexico City", "Tapachula", "Guadalajara")),
    "CA": ("eng", "CAD", ("Toronto", "Montreal", "Calgary", "Vancouver", "Winnipeg")),
    "AE": ("eng", "AED", ("Dubai", "Abu Dhabi", "Sharjah")),
    "JP": ("jpn", "JPY", ("Tokyo", "Nagoya", "Osaka")),
    "GB": ("eng", "GBP", ("London", "Manchester", "Birmingham", "Leeds", "Glasgow")),
}  # fmt: skip

# Where returnees came back from, per country of origin (plain words for descriptions).
RETURNED_FROM = {
    "ET": ("Saudi Arabia", "Lebanon", "Kuwait", "Djibouti"),
    "KE": ("Saudi Arabia", "Qatar", "the United Arab Emirates"),
    "NG": ("Libya", "Italy", "Niger", "Germany"),
    "SN": ("Spain", "Italy", "France", "Mauritania"),
    "MA": ("Spain", "France", "Italy"),
    "TJ": ("Russia", "Kazakhstan"),
    "GT": ("the United States", "Mexico"),
    "PH": ("Saudi Arabia", "Hong Kong", "Kuwait", "the United Arab Emirates"),
}

# International dialling code, then (prefix, digits after it) of fictional mobile numbers.
PHONE_PLANS = {
    "ET": ("251", ("91", "92", "94"), 7),
    "KE": ("254", ("70", "71", "72", "79"), 7),
    "NG": ("234", ("803", "806", "813", "816"), 7),
    "SN": ("221", ("77", "76", "78"), 7),
    "MA": ("212", ("61", "66", "67"), 7),
    "TJ": ("992", ("90", "91", "93", "98"), 7),
    "GT": ("502", ("4", "5"), 7),
    "PH": ("63", ("917", "918", "926", "939"), 7),
}
# Fictional mobile numbers abroad: (dialling code, first digits, further random digits).
ABROAD_PHONE_PLANS = {
    "DE": ("49", "157", 8), "SE": ("46", "70", 7), "SA": ("966", "5", 8), "IL": ("972", "5", 8),
    "FR": ("33", "63998", 4), "IT": ("39", "3", 9), "ES": ("34", "6", 8), "BE": ("32", "47", 7),
    "NL": ("31", "6", 8), "RU": ("7", "9", 9), "KZ": ("7", "70", 8), "MX": ("52", "1", 9),
    "AE": ("971", "5", 8), "JP": ("81", "90", 8),
}  # fmt: skip
FARM_SIZES = ("half a hectare", "1 hectare", "1.5 hectares", "2 hectares", "3 hectares",
              "5 hectares")  # fmt: skip
RETURN_STORIES = (
    "started this business with savings from abroad.",
    "restarted the family farm with savings from abroad.",
    "joined a returnee support programme to set up the business.",
    "took over the family land.",
)
# Words for value chains inside a sentence ("coaching goat and sheep businesses").
CHAIN_WORDS = {
    "beekeeping": "honey", "agro_processing": "agro-processing", "roots_tubers": "cassava",
    "capture_fisheries": "fish trade", "small_ruminants": "goat and sheep", "shea": "argan",
    "oilseeds": "oilseed", "fruits": "fruit", "vegetables": "vegetable", "cereals": "grain",
    "pulses": "pulse", "herbs": "herb", "flowers": "flower", "spices": "spice",
    "beef_cattle": "beef cattle", "aquaculture": "fish farming", "pigs": "pig",
}  # fmt: skip
COUNTRY_NAMES = {
    "ET": "Ethiopia", "KE": "Kenya", "NG": "Nigeria", "SN": "Senegal", "MA": "Morocco",
    "TJ": "Tajikistan", "GT": "Guatemala", "PH": "the Philippines",
}  # fmt: skip


# --- what the businesses do and need -------------------------------------------------------

LIVESTOCK = {"dairy", "poultry", "small_ruminants", "beef_cattle", "pigs", "beekeeping"}
FISH = {"aquaculture", "capture_fisheries", "seaweed"}
CASH_CROPS = {"coffee", "cocoa", "tea", "cotton", "cashew", "spices", "shea", "herbs"}

BUSINESS_WORDS = {
    "coffee": ("Coffee", "Coffee Growers", "Coffee Washing Station"),
    "tea": ("Tea Growers", "Tea Farm"),
    "cotton": ("Cotton Farm", "Cotton Growers"),
    "spices": ("Cardamom", "Spice Growers"),
    "dairy": ("Dairy", "Milk Collection", "Dairy Farm"),
    "poultry": ("Poultry", "Layers", "Broiler Farm", "Eggs"),
    "small_ruminants": ("Goats and Sheep", "Small Stock", "Sheep Fattening"),
    "beef_cattle": ("Cattle Fattening", "Ranch"),
    "pigs": ("Piggery", "Hog Raising"),
    "beekeeping": ("Honey", "Apiary", "Bee Farm"),
    "vegetables": ("Vegetables", "Market Garden", "Greenhouse Farm"),
    "fruits": ("Fruits", "Orchard", "Fruit Farm"),
    "flowers": ("Flowers", "Cut Flowers"),
    "herbs": ("Herbs", "Aromatic Plants", "Saffron and Herbs"),
    "cereals": ("Grain Farm", "Maize Farm", "Grain Mill"),
    "rice": ("Rice Farm", "Rice Mill", "Palay Farm"),
    "roots_tubers": ("Cassava Farm", "Cassava Processing", "Yam Farm"),
    "pulses": ("Pulses", "Chickpea and Lentil Farm"),
    "oilseeds": ("Groundnut Farm", "Oil Press", "Sesame Farm", "Coconut Farm"),
    "aquaculture": ("Fish Farm", "Catfish Ponds", "Tilapia Farm"),
    "capture_fisheries": ("Fish Trade", "Fish Smoking", "Fishing Cooperative"),
    "seaweed": ("Seaweed Farm", "Seaweed Growers"),
    "shea": ("Argan Oil", "Argan Cooperative"),
    "agro_processing": ("Agro-Processing", "Foods"),
}
DESCRIPTIONS = {
    "coffee": "{size} of coffee, dried on raised beds and sold to the local cooperative",
    "tea": "{size} of tea, green leaf sold to the factory every week",
    "cotton": "{size} of cotton on irrigated land",
    "spices": "{size} of cardamom under shade trees",
    "dairy": "{herd} dairy cows; milk sold to neighbours and a collection centre",
    "poultry": "{flock} layer hens; eggs sold in the local market",
    "small_ruminants": "{herd} goats and sheep, fattened for festivals",
    "beef_cattle": "{herd} head of cattle fattened and sold at the livestock market",
    "pigs": "{herd} pigs raised and sold to local traders",
    "beekeeping": "{hives} beehives; honey sold in jars in town",
    "vegetables": "{size} of vegetables sold to market traders",
    "fruits": "{size} of fruit trees",
    "flowers": "{size} of flowers under shade net",
    "herbs": "{size} of herbs and aromatic plants, dried and sold to traders",
    "cereals": "{size} of maize and sorghum",
    "rice": "{size} of irrigated rice",
    "roots_tubers": "{size} of cassava, part processed into garri and flour",
    "pulses": "{size} of chickpeas, lentils and beans",
    "oilseeds": "{size} of groundnuts and sesame",
    "aquaculture": "{ponds} fish ponds with catfish and tilapia",
    "capture_fisheries": "buys fish from the boats, smokes and dries it for the markets",
    "seaweed": "{size} of seaweed lines in the bay",
    "shea": "a women's group pressing argan oil for shops and tourists",
    "agro_processing": "processes local produce into packaged food",
}
SKILL_NEEDS = {
    "business_planning": "a business plan to show the bank",
    "bookkeeping": "keeping records of costs and sales",
    "marketing": "finding buyers who pay a fair price and pay on time",
    "export_certification": "getting certified to sell for export",
    "post_harvest": "storing the harvest without losses",
    "irrigation": "water for the dry season",
    "climate_smart": "coping with drought and poor soils",
    "food_safety": "meeting hygiene rules for shops and supermarkets",
    "cooperative_governance": "running the group's meetings and accounts",
    "access_to_finance": "a loan the business can repay",
    "digital_tools": "taking orders and payments by phone",
    "animal_health": "vaccination and keeping the animals healthy",
    "animal_nutrition": "cheaper feed that keeps the animals growing",
    "animal_husbandry": "breeding and raising more animals",
    "fish_farming": "stocking and feeding the fish ponds",
    "crop_agronomy": "better practices for higher yields",
    "soil_fertility": "using fertiliser and manure well",
    "pest_disease": "controlling pests and crop diseases",
    "seed_selection": "better seed of good varieties",
    "mechanisation": "hiring a tractor or buying better tools",
    "land_tenure": "renting more land on fair terms",
    "processing_packaging": "packaging and labels",
    "supply_chain": "a reliable supplier of inputs and feed",
    "legal_registration": "registering the business",
    "leadership": "managing workers",
}
CHAIN_SKILLS = {
    "livestock": ("animal_health", "animal_nutrition", "animal_husbandry", "supply_chain",
                  "food_safety"),
    "fish": ("fish_farming", "supply_chain", "post_harvest", "food_safety"),
    "cash": ("export_certification", "post_harvest", "crop_agronomy", "pest_disease",
             "cooperative_governance"),
    "crops": ("soil_fertility", "pest_disease", "seed_selection", "mechanisation",
              "crop_agronomy", "irrigation", "post_harvest", "climate_smart", "land_tenure"),
}  # fmt: skip
GENERAL_SKILLS = (
    "bookkeeping", "marketing", "access_to_finance", "business_planning", "digital_tools",
    "processing_packaging", "legal_registration", "leadership",
)  # fmt: skip

# Diaspora professions: (headline, skills offered, value chain families they fit).
PROFESSIONS = (
    ("Veterinarian", ("animal_health", "animal_husbandry", "food_safety"), "livestock"),
    ("Animal scientist at a feed company", ("animal_nutrition", "supply_chain"), "livestock"),
    ("Agronomist", ("crop_agronomy", "soil_fertility", "pest_disease"), "crops"),
    ("Seed company manager", ("seed_selection", "crop_agronomy"), "crops"),
    ("Farm machinery dealer", ("mechanisation", "supply_chain"), "crops"),
    ("Irrigation engineer", ("irrigation", "climate_smart"), "crops"),
    ("Export quality manager at a food importer", ("export_certification", "post_harvest"),
     "cash"),
    ("Food scientist", ("food_safety", "processing_packaging"), "any"),
    ("Supply chain manager", ("supply_chain", "post_harvest"), "any"),
    ("Accountant", ("bookkeeping", "access_to_finance", "business_planning"), "any"),
    ("Bank credit analyst", ("access_to_finance", "business_planning"), "any"),
    ("Marketing consultant", ("marketing", "digital_tools"), "any"),
    ("Software developer", ("digital_tools", "marketing"), "any"),
    ("Cooperative development officer", ("cooperative_governance", "leadership"), "any"),
    ("Lawyer", ("legal_registration", "business_planning"), "any"),
    ("Aquaculture technician", ("fish_farming", "animal_nutrition", "food_safety"), "fish"),
    ("Restaurant owner", ("marketing", "food_safety", "supply_chain"), "any"),
    ("Nurse", ("leadership", "business_planning"), "any"),
)  # fmt: skip

# Kiva `activity` words and `use` keywords -> value chains, to pick fitting loan purposes.
KIVA_CHAIN_WORDS = (
    ("pigs", r"\b(pigs?|piglets?|hogs?|pigsties)\b"),
    ("poultry", r"\b(chickens?|poultry|hens?|chicks|turkeys?)\b"),
    ("dairy", r"\b(dairy|milk)\b"),
    ("beef_cattle", r"\b(cattle|cows?|calves|calf|bull-calves)\b"),
    ("small_ruminants", r"\b(goats?|sheep|rams?)\b"),
    ("rice", r"\b(rice|paddy)\b"),
    ("cereals", r"\b(maize|corn|sorghum|millet|barley|cereals?|grains?)\b"),
    ("coffee", r"\bcoffee\b"),
    ("tea", r"\btea\b"),
    ("cocoa", r"\b(cocoa|cacao|cocao)\b"),
    ("vegetables", r"\b(vegetables?|okra|garlic|onions?|horticultur\w*|greenhouse)\b"),
    ("fruits", r"\b(fruits?|bananas?|pineapple|watermelons?)\b"),
    ("roots_tubers", r"\b(taro|cassava)\b"),
    ("oilseeds", r"\b(groundnuts?|sesame)\b"),
    ("pulses", r"\bbeans\b"),
    ("aquaculture", r"\bfish\b"),
)
KIVA_SKIP = re.compile(r"\[True|Mulloqurbon|school fees|children|husband|family|clothing|empower")
CROP_CHAINS = {"rice", "cereals", "coffee", "tea", "cocoa", "vegetables", "fruits", "roots_tubers",
               "oilseeds", "pulses", "cotton", "spices", "herbs", "flowers"}  # fmt: skip


def extract_kiva_uses(source: Path) -> None:
    """Keep the usable agricultural loan purposes of Kiva's sample, tagged by value chain."""
    rows = []
    seen: set[str] = set()
    with source.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            use = " ".join(row["use"].split()).strip()
            if row["sector"] != "Agriculture" or not use or KIVA_SKIP.search(use):
                continue
            use = use[0].lower() + use[1:]
            if not use.startswith("to "):
                use = "to " + use
            if use.rstrip(".") in seen:
                continue
            seen.add(use.rstrip("."))
            tags = [chain for chain, pattern in KIVA_CHAIN_WORDS if re.search(pattern, use, re.I)]
            if not tags:
                animals = row["activity"] in ("Livestock", "Animal Sales")
                tags = ["livestock"] if animals else ["crops"]
            rows.append((row["id"], row["activity"], row["country_code"], ";".join(tags), use))
    rows.sort(key=lambda r: int(r[0]))
    with KIVA_USES.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("kiva_id", "activity", "country_code", "value_chains", "use"))
        writer.writerows(rows)


def group_digits(number: str) -> str:
    """'80312345678' -> '803 123 45678': readable groups of three, the rest at the end."""
    if len(number) == 8:
        return f"{number[:4]} {number[4:]}"
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- the generator -------------------------------------------------------------------------


class Generator:
    """Draws plausible people from the data above with one seeded random source."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.countries = {row["code"]: row for row in read_csv(TAXONOMY / "countries.csv")}
        self.rates = {
            row["currency"]: float(row["usd_per_unit"])
            for row in read_csv(TAXONOMY / "currency_rates.csv")
        }
        self.kiva = read_csv(KIVA_USES)
        self.emails: set[str] = set()
        self.phones: set[str] = set()

    # small helpers

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def sample(self, items: Sequence[str], low: int, high: int) -> list[str]:
        k = min(len(items), self.rng.randint(low, high))
        return self.rng.sample(list(items), k)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def person(self, country: str) -> tuple[Community, str, bool]:
        community = self.pick(COMMUNITIES[country])
        woman = self.chance(0.45)
        first = self.pick(community.women if woman else community.men)
        surname = self.pick(community.surnames)
        if woman and country == "TJ" and surname.endswith(("ov", "ev")):
            surname += "a"
        if community.two_surnames:
            surname = f"{surname} {self.pick(community.surnames)}"
        return community, f"{first} {surname}", woman

    def email(self, full_name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
        local = re.sub(r"[^a-z]+", ".", ascii_name.lower()).strip(".")
        domain = self.pick(("example.org", "example.com"))
        candidate, n = f"{local}@{domain}", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def phone(self, plan: tuple[str, tuple[str, ...], int]) -> str:
        code, prefixes, digits = plan
        while True:
            number = self.pick(prefixes) + "".join(
                str(self.rng.randrange(10)) for _ in range(digits)
            )
            if number not in self.phones:
                self.phones.add(number)
                return f"+{code} {group_digits(number)}"

    def diaspora_phone(self, residence: str) -> str:
        # Ranges set aside for fiction where they exist (US 555-01xx, UK 07700 900xxx).
        while True:
            if residence in ("US", "CA"):
                area = self.pick(("202", "612", "206", "404", "713", "213", "416", "514"))
                number = f"+1 {area} 555 01{self.rng.randrange(100):02d}"
            elif residence == "GB":
                number = f"+44 7700 900{self.rng.randrange(1000):03d}"
            else:
                code, prefix, digits = ABROAD_PHONE_PLANS[residence]
                body = prefix + "".join(str(self.rng.randrange(10)) for _ in range(digits))
                number = f"+{code} {group_digits(body)}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def amount(self, usd_low: float, usd_high: float, currency: str) -> int:
        """A round amount in the currency, drawn log-uniformly between two USD amounts."""
        usd = usd_low * (usd_high / usd_low) ** self.rng.random()
        local = usd / self.rates[currency]
        step = 10 ** max(0, len(str(int(local))) - 2)
        return min(MAX_INVESTMENT_AMOUNT, max(step, round(local / step) * step))

    def kiva_use(self, chain: str, woman: bool) -> str | None:
        family = "livestock" if chain in LIVESTOCK - {"beekeeping"} else None
        family = family or ("crops" if chain in CROP_CHAINS else None)
        # Only purposes about this chain alone, so a fish farm never buys chickens.
        fitting = [row for row in self.kiva if row["value_chains"] == chain]
        if not fitting and family:
            fitting = [row for row in self.kiva if row["value_chains"] == family]
        if not fitting:
            return None
        use = self.pick([row["use"] for row in fitting]).rstrip(".")
        swaps = {"his": "her", "him": "her", "he": "she"} if woman else {"her": "his", "she": "he"}
        return re.sub(r"\b(his|him|he|her|she)\b", lambda m: swaps.get(m[1], m[1]), use)

    # the two kinds of people

    def entrepreneur(self, country: str) -> dict[str, str]:
        info = self.countries[country]
        community, full_name, woman = self.person(country)
        region = self.pick(sorted(community.regions))
        locality = self.pick(community.regions[region])
        chains = info["value_chains"].split(";")
        main = self.pick(chains)
        value_chains = [main]
        if self.chance(0.3):
            value_chains.append(self.pick([c for c in chains if c != main]))
        if self.chance(0.12):
            value_chains.append("agro_processing")
        value_chains = list(dict.fromkeys(value_chains))
        family = ("livestock" if main in LIVESTOCK else "fish" if main in FISH
                  else "cash" if main in CASH_CROPS else "crops")  # fmt: skip
        skills = self.sample(CHAIN_SKILLS[family], 0, 2) + self.sample(GENERAL_SKILLS, 1, 2)
        stage = self.rng.choices(("idea", "starting", "growing", "established"), (1, 3, 4, 2))[0]
        returnee = self.chance(1 / 3)
        youth = self.chance(0.35)

        surname = full_name.split()[-1] if not community.two_surnames else full_name.split()[1]
        word = self.pick(BUSINESS_WORDS.get(main, ("Farm",)))
        business = self.pick(
            (f"{surname} {word}", f"{locality} {word}", f"{full_name.split()[0]}'s {word}")
        )
        size = self.pick(FARM_SIZES)
        herd = str(self.rng.randint(3, 40))
        description = DESCRIPTIONS.get(main, "a small farm").format(
            size=size, herd=herd, flock=self.rng.randint(2, 30) * 50,
            hives=self.rng.randint(10, 120), ponds=self.rng.randint(2, 8),
        )  # fmt: skip
        sentences = [f"{description[0].upper()}{description[1:]}, near {locality}."]
        if returnee:
            year = self.rng.randint(2015, 2024)
            sentences.append(
                f"Came back from {self.pick(RETURNED_FROM[country])} in {year} and "
                + self.pick(RETURN_STORIES)
            )
        use = self.kiva_use(main, woman)
        seeking = stage != "idea" and self.chance(0.45) or (stage == "idea" and self.chance(0.2))
        if use:
            sentences.append(f"Next step: {use}.")
        needs = [SKILL_NEEDS[s] for s in skills]
        needs_text = "Needs help with " + "; ".join(needs) + "."

        languages = list(community.languages)
        if "eng" not in languages and country in ("ET", "KE", "NG", "PH") and self.chance(0.5):
            languages.append("eng")
        if "fra" not in languages and country in ("SN", "MA") and self.chance(0.3):
            languages.append("fra")
        if country == "GT" and languages != ["spa"] and self.chance(0.1):
            languages = languages[::-1]

        row = {
            "full_name": full_name,
            "email": "",
            "phone": "",
            "business_name": business,
            "description": " ".join(sentences),
            "country": country,
            "region": region,
            "locality": locality,
            "stage": stage,
            "value_chains": ";".join(value_chains),
            "skills_needed": ";".join(skills),
            "skills_needed_text": needs_text,
            "languages": ";".join(languages),
            "seeking_investment": "yes" if seeking else "no",
            "investment_amount": "",
            "investment_currency": "",
            "investment_instruments": "",
            "is_returnee": "yes" if returnee else "no",
            "is_women_led": "yes" if woman or self.chance(0.05) else "no",
            "is_youth_led": "yes" if youth else "no",
        }
        # Field surveys often register people by phone only.
        has_email = self.chance(0.65)
        if has_email:
            row["email"] = self.email(full_name)
        if not has_email or self.chance(0.8):
            row["phone"] = self.phone(PHONE_PLANS[country])
        if seeking:
            currency = info["currency"] if self.chance(0.8) else "USD"
            high = {"idea": 3000, "starting": 8000, "growing": 25000, "established": 60000}[stage]
            row["investment_amount"] = str(self.amount(300, high, currency))
            row["investment_currency"] = currency
            instruments = ["loan"] if self.chance(0.7) else []
            if stage in ("growing", "established") and self.chance(0.3):
                instruments.append("equity")
            if stage in ("idea", "starting") and self.chance(0.3):
                instruments.append("grant")
            if self.chance(0.15):
                instruments.append("in_kind")
            row["investment_instruments"] = ";".join(instruments or ["loan"])
        return row

    def diaspora(self, country: str) -> dict[str, str]:
        info = self.countries[country]
        community, full_name, woman = self.person(country)
        destinations = info["diaspora_destinations"].split(";")
        # The first destinations listed are the biggest communities.
        weights = [len(destinations) - i for i in range(len(destinations))]
        residence = self.rng.choices(destinations, weights)[0]
        language, currency, cities = DESTINATIONS[residence]
        city = self.pick(cities)
        origin = self.pick(sorted(community.regions))
        hometown = self.pick(community.regions[origin])
        interest = [origin]
        others = [r for r in info["regions"].split(";") if r != origin]
        interest += self.sample(others, 0, 2)

        chains = info["value_chains"].split(";")
        families = {
            "livestock": [c for c in chains if c in LIVESTOCK],
            "fish": [c for c in chains if c in FISH],
            "cash": [c for c in chains if c in CASH_CROPS],
            "crops": [c for c in chains if c not in LIVESTOCK and c not in FISH],
            "any": chains,
        }
        # Only professions that fit what the country grows (no fish farmers for Tajikistan).
        profession, offered, fits = self.rng.choice([p for p in PROFESSIONS if families[p[2]]])
        fitting = families[fits]
        value_chains = self.sample(fitting, 1, 3)
        if "processing_packaging" in offered or "food_safety" in offered:
            value_chains.append("agro_processing")
        skills = list(offered)
        skills += self.sample([s for s in GENERAL_SKILLS if s not in skills], 0, 1)

        languages = list(community.languages)
        if language not in languages:
            languages.append(language)
        if "eng" not in languages and (residence in ("AE", "SA", "IL", "SE", "NL", "DE", "JP")
                                       or self.chance(0.4)):  # fmt: skip
            languages.append("eng")

        kind = self.rng.choices(("mentor", "investor", "both"), (55, 25, 20))[0]
        chain_words = " and ".join(CHAIN_WORDS.get(c, c) for c in value_chains[:2])
        verb = "investing in" if kind == "investor" else "coaching"
        headline = f"{profession} in {city}, {verb} {chain_words} businesses"
        years = self.rng.randint(4, 30)
        bio = (
            f"Grew up near {hometown} in {COUNTRY_NAMES[country]}; has lived in {city} for "
            f"{years} years. Wants to help {chain_words} businesses back home."
        )
        row = {
            "full_name": full_name,
            "email": self.email(full_name),
            "phone": self.diaspora_phone(residence) if self.chance(0.6) else "",
            "headline": headline[:140],
            "bio": bio,
            "residence_country": residence,
            "origin_regions": origin,
            "interest_regions": ";".join(interest),
            "value_chains": ";".join(dict.fromkeys(value_chains)),
            "skills_offered": ";".join(skills),
            "skills_offered_text": "",
            "languages": ";".join(languages),
            "preferred_stages": ";".join(
                self.sample(("idea", "starting", "growing", "established"), 0, 2)
            ),
            "offers_coaching": "no",
            "mentee_capacity": "",
            "hours_per_month": "",
            "offers_investment": "no",
            "ticket_min": "",
            "ticket_max": "",
            "ticket_currency": "",
            "investment_instruments": "",
        }
        if kind in ("mentor", "both"):
            row["offers_coaching"] = "yes"
            row["mentee_capacity"] = str(self.rng.randint(1, 5))
            row["hours_per_month"] = str(self.rng.choice((2, 4, 4, 6, 8, 10, 12)))
        if kind in ("investor", "both"):
            ticket_currency = currency if self.chance(0.8) else "USD"
            low = self.amount(300, 5000, ticket_currency)
            high = self.amount(5000, 50000, ticket_currency)
            row["offers_investment"] = "yes"
            row["ticket_min"] = str(min(low, high))
            row["ticket_max"] = str(max(low, high))
            row["ticket_currency"] = ticket_currency
            row["investment_instruments"] = ";".join(
                self.sample(("loan", "equity", "grant", "in_kind"), 1, 3)
            )
        return row

    def people(self, count: int, make: str) -> list[dict[str, str]]:
        """`count` people spread evenly over the programme countries, in a shuffled order."""
        codes = sorted(self.countries)
        rows = [getattr(self, make)(codes[i % len(codes)]) for i in range(count)]
        self.rng.shuffle(rows)
        return rows


def write_csv(path: Path, columns: Sequence[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate(out_dir: Path = HERE, seed: int = SEED) -> tuple[Path, Path]:
    """Write entrepreneurs.csv and diaspora.csv into out_dir; returns their paths."""
    generator = Generator(seed)
    entrepreneurs = out_dir / "entrepreneurs.csv"
    diaspora = out_dir / "diaspora.csv"
    write_csv(
        entrepreneurs, ENTREPRENEUR_COLUMNS, generator.people(N_ENTREPRENEURS, "entrepreneur")
    )
    write_csv(diaspora, DIASPORA_COLUMNS, generator.people(N_DIASPORA, "diaspora"))
    return entrepreneurs, diaspora


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiva", type=Path, help="re-extract loan purposes from kiva_loans.csv")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into")
    args = parser.parse_args()
    if args.kiva:
        extract_kiva_uses(args.kiva)
    for path in generate(args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
