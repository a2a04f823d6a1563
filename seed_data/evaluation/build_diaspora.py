"""Write diaspora.csv, diaspora_roles.csv and load.csv from the members written by hand below.

Every member is invented (names typical of their community, fictional example.org
addresses); they were written for the countries of the Kiva borrowers in
entrepreneurs.csv, on purpose in kinds a coordinator must tell apart: specialists from
a province, broad generalists, strangers who share only a lingua franca, and people who
must never be suggested. Deterministic: running it rewrites the three files byte for byte.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLUMNS = (
    "full_name",
    "email",
    "headline",
    "residence_country",
    "origin_regions",
    "interest_regions",
    "value_chains",
    "skills_offered",
    "skills_offered_text",
    "languages",
    "preferred_stages",
    "offers_coaching",
    "mentee_capacity",
    "hours_per_month",
    "offers_investment",
    "ticket_min",
    "ticket_max",
    "ticket_currency",
    "investment_instruments",
)

# A generalist's skills: everything a consultant puts on a CV.
BROAD_SKILLS = (
    "business_planning;bookkeeping;marketing;access_to_finance;supply_chain;crop_agronomy;"
    "soil_fertility;pest_disease;animal_health;animal_nutrition;post_harvest;digital_tools;"
    "cooperative_governance;export_certification;food_safety;leadership;processing_packaging"
)


def member(
    slug: str,
    name: str,
    archetype: str,
    why: str,
    headline: str,
    residence: str,
    origin: str,
    chains: str,
    languages: str,
    *,
    interest: str = "",
    skills: str = "",
    text: str = "",
    stages: str = "",
    coaching: int = 0,
    hours: int = 0,
    ticket: tuple[int, int, str, str] | None = None,
) -> dict[str, str]:
    """One member as a row of the diaspora import format, plus its archetype and why."""
    row = {
        "full_name": name,
        "email": f"{slug}@example.org",
        "headline": headline,
        "residence_country": residence,
        "origin_regions": origin,
        "interest_regions": interest,
        "value_chains": chains,
        "skills_offered": skills,
        "skills_offered_text": text,
        "languages": languages,
        "preferred_stages": stages,
        "offers_coaching": "yes" if coaching else "no",
        "mentee_capacity": str(coaching) if coaching else "",
        "hours_per_month": str(hours) if coaching else "",
        "offers_investment": "yes" if ticket else "no",
        "ticket_min": str(ticket[0]) if ticket else "",
        "ticket_max": str(ticket[1]) if ticket else "",
        "ticket_currency": ticket[2] if ticket else "",
        "investment_instruments": ticket[3] if ticket else "",
    }
    return {**row, "_archetype": archetype, "_why": why}


MEMBERS = [
    # --- Philippines ----------------------------------------------------------------------
    member(
        "ramon.villanueva", "Ramon Villanueva", "specialist",
        "pig veterinarian from Negros Occidental: the Negros pig raisers' first choice",
        "Swine veterinarian in Stockton, California, from Bacolod", "US",
        "PH-06", "pigs", "hil;tgl;eng", interest="PH-06;PH-07",
        skills="animal_health;animal_nutrition;animal_husbandry",
        text="Twenty years treating backyard and commercial pigs: vaccination schedules, "
        "feed rations from local ingredients, farrowing.",
        coaching=3, hours=8,
    ),
    member(
        "rosario.dumlao", "Rosario Dumlao", "specialist",
        "rice agronomist from Isabela, Ilocano speaker: Cagayan Valley crop farmers",
        "Rice agronomist in Winnipeg, from Ilagan, Isabela", "CA",
        "PH-02", "rice;cereals", "ilo;tgl;eng", interest="PH-02;PH-01",
        skills="soil_fertility;pest_disease;seed_selection;crop_agronomy",
        text="Fertiliser timing, certified seed, integrated pest management for rice and corn.",
        coaching=2, hours=6,
    ),
    member(
        "jovelyn.ompad", "Jovelyn Ompad", "specialist",
        "feed-mill nutritionist from Bohol (Cebuano): pig and poultry feed in Central Visayas",
        "Feed-mill nutritionist in Riyadh, from Tagbilaran, Bohol", "SA",
        "PH-07", "pigs;poultry", "ceb;tgl;eng", interest="PH-07;PH-08",
        skills="animal_nutrition;animal_husbandry;bookkeeping",
        text="Balancing hog and layer rations, buying feed in bulk, keeping a simple ledger.",
        coaching=2, hours=4, ticket=(100, 1000, "USD", "loan"),
    ),
    member(
        "dennis.sumagang", "Dennis Sumagang", "specialist",
        "vegetable grower from Misamis Occidental working in Japanese greenhouses",
        "Greenhouse vegetable technician in Kumamoto, from Oroquieta", "JP",
        "PH-10", "vegetables;fruits", "ceb;tgl;eng;jpn", interest="PH-10;PH-09",
        skills="soil_fertility;pest_disease;irrigation;crop_agronomy",
        text="Soil testing and fertiliser plans, pest scouting, drip irrigation for vegetables.",
        coaching=2, hours=6,
    ),
    member(
        "cristina.reyes", "Maria Cristina Reyes", "generalist",
        "Manila consultant who ticks five chains and seventeen skills, many regions",
        "Agribusiness consultant in Dubai, from Quezon City", "AE",
        "PH-00", "rice;pigs;poultry;vegetables;fruits", "tgl;eng",
        interest="PH-00;PH-03;PH-40;PH-06;PH-07;PH-10;PH-02;PH-08",
        skills=BROAD_SKILLS,
        text="Business plans, finance, marketing and farm advice for any agribusiness.",
        coaching=5, hours=10,
    ),
    member(
        "nestor.abuda", "Nestor Abuda", "full",
        "Waray pig and poultry vet from Leyte whose two mentee places are taken",
        "Livestock veterinarian in Honolulu, from Tacloban", "US",
        "PH-08", "pigs;poultry", "war;ceb;tgl;eng", interest="PH-08",
        skills="animal_health;animal_husbandry;animal_nutrition",
        coaching=2, hours=6,
    ),
    member(
        "antonio.mercado", "Antonio Mercado", "ticket_out_of_range",
        "invests USD 20,000-200,000: far above any Kiva farm loan",
        "Investor in Los Angeles, from Pampanga: hog farms and fish processing", "US",
        "PH-03", "pigs;aquaculture;agro_processing", "tgl;eng", interest="PH-03;PH-40",
        ticket=(20000, 200000, "USD", "loan;equity"),
    ),
    member(
        "liza.delacruz", "Liza Dela Cruz", "other",
        "small lender from Capiz (Hiligaynon): GBP 100-1,500 loans in Western Visayas",
        "Nurse in Leeds, from Roxas City, Capiz; lends to farms back home", "GB",
        "PH-06", "pigs;poultry;rice", "hil;tgl;eng", interest="PH-06",
        ticket=(100, 1500, "GBP", "loan"),
    ),
    member(
        "giulia.santos", "Giulia Santos", "no_language",
        "Italian-born daughter of Filipino parents, speaks only Italian",
        "Animal science student in Milan, family from Pampanga", "IT",
        "PH-03", "pigs", "ita",
        skills="animal_husbandry", coaching=2, hours=4,
    ),
    # --- Kenya ----------------------------------------------------------------------------
    member(
        "wycliffe.wanjala", "Wycliffe Wanjala", "specialist",
        "maize agronomist from Bungoma (Luhya): western Kenya's maize groups",
        "Maize breeder in Saint Paul, Minnesota, from Bungoma", "US",
        "KE-03", "cereals;pulses", "luy;swa;eng", interest="KE-03;KE-11;KE-04",
        skills="soil_fertility;seed_selection;crop_agronomy;pest_disease",
        text="Hybrid seed choice, fertiliser at planting and top-dressing, stalk borer control.",
        coaching=3, hours=8,
    ),
    member(
        "grace.nyakundi", "Grace Moraa Nyakundi", "specialist",
        "dairy and goat specialist from Kisii (Ekegusii); also lends small amounts",
        "Dairy nutritionist in Reading, from Kisii", "GB",
        "KE-16", "dairy;small_ruminants", "guz;swa;eng", interest="KE-16;KE-34",
        skills="animal_nutrition;animal_health;animal_husbandry",
        text="Feeding dairy cows and goats on a small plot, fodder, mastitis, calving.",
        coaching=2, hours=6, ticket=(200, 2000, "GBP", "loan"),
    ),
    member(
        "kelvin.mutuma", "Kelvin Mutuma", "specialist",
        "horticulture specialist from Meru who only takes growing farms",
        "Greenhouse manager near Rotterdam, from Meru", "NL",
        "KE-26", "horticulture;vegetables;fruits", "mer;swa;eng", interest="KE-26;KE-41",
        skills="pest_disease;irrigation;soil_fertility;marketing",
        text="Vegetables and fruit for market: drip lines, spraying safely, selling to buyers.",
        stages="growing", coaching=2, hours=6,
    ),
    member(
        "faith.musyoka", "Faith Mwikali Musyoka", "specialist",
        "poultry specialist from Machakos (Kamba)",
        "Poultry farm manager in Atlanta, from Machakos", "US",
        "KE-22", "poultry", "kam;swa;eng", interest="KE-22;KE-23",
        skills="animal_health;animal_nutrition;animal_husbandry;marketing",
        text="Chick brooding, vaccination, feed, building a cheap poultry house.",
        coaching=3, hours=8,
    ),
    member(
        "david.njoroge", "David Kamau Njoroge", "generalist",
        "Nairobi consultant: five chains, seventeen skills, eight counties",
        "Development consultant in London, from Nairobi", "GB",
        "KE-30", "cereals;dairy;poultry;horticulture;tea", "swa;eng",
        interest="KE-30;KE-13;KE-22;KE-36;KE-26;KE-03;KE-16;KE-44",
        skills=BROAD_SKILLS,
        text="Everything an agribusiness needs, from planning to markets.",
        coaching=6, hours=12,
    ),
    member(
        "esther.gachoki", "Esther Wanjiru Gachoki", "full",
        "tea and coffee agronomist from Nyeri whose only mentee place is taken",
        "Agronomist in Calgary, from Nyeri", "CA",
        "KE-36", "tea;coffee", "kik;swa;eng", interest="KE-36;KE-15",
        skills="soil_fertility;pest_disease;cooperative_governance",
        coaching=1, hours=4,
    ),
    member(
        "samuel.odhiambo", "Samuel Otieno Odhiambo", "ticket_out_of_range",
        "invests USD 25,000-250,000 in processing: far above Kiva loans",
        "Investor in Dubai, from Kisumu: milk processing and agro-industry", "AE",
        "KE-17", "agro_processing;dairy", "luo;swa;eng", interest="KE-17;KE-30",
        ticket=(25000, 250000, "USD", "equity;loan"),
    ),
    member(
        "mercy.kiprono", "Mercy Chebet Kiprono", "other",
        "Kalenjin lender and coach from Uasin Gishu: small loans and farm records",
        "Accountant in Dallas, from Eldoret; lends to and coaches farmers", "US",
        "KE-44", "cereals;dairy", "kln;swa;eng", interest="KE-44;KE-42;KE-32",
        skills="bookkeeping;access_to_finance;soil_fertility",
        text="Farm records, planning a loan, getting fertiliser on credit.",
        coaching=2, hours=4, ticket=(200, 1500, "USD", "loan"),
    ),
    # --- El Salvador ----------------------------------------------------------------------
    member(
        "jose.hernandez", "José Armando Hernández", "specialist",
        "maize and bean agronomist from Usulután",
        "Agronomist in Los Angeles, from Jiquilisco, Usulután", "US",
        "SV-US", "cereals;pulses", "spa;eng", interest="SV-US;SV-SM",
        skills="soil_fertility;pest_disease;seed_selection;crop_agronomy",
        text="Maíz y frijol: semilla mejorada, abonos, control de plagas y malezas.",
        coaching=3, hours=8,
    ),
    member(
        "carlos.romero", "Carlos Alberto Romero", "specialist",
        "cattle vet from San Miguel, coaches and lends to cattle and dairy farmers",
        "Large-animal veterinarian in Houston, from San Miguel", "US",
        "SV-SM", "dairy;beef_cattle", "spa;eng", interest="SV-SM;SV-MO;SV-US",
        skills="animal_health;animal_nutrition;animal_husbandry",
        text="Ganado lechero y de engorde: vacunas, pastos, concentrado, ordeño.",
        coaching=2, hours=6, ticket=(300, 3000, "USD", "loan"),
    ),
    member(
        "maria.argueta", "María de los Ángeles Argueta", "specialist",
        "poultry and pig specialist from Morazán",
        "Poultry supervisor in Virginia, from San Francisco Gotera", "US",
        "SV-MO", "poultry;pigs", "spa;eng", interest="SV-MO",
        skills="animal_nutrition;animal_health;animal_husbandry;marketing",
        text="Gallinas ponedoras y pollos de engorde, cerdos: alimento, vacunas, venta.",
        coaching=2, hours=6,
    ),
    member(
        "roberto.menjivar", "Roberto Carlos Menjívar", "generalist",
        "San Salvador consultant: five chains, seventeen skills, seven departments",
        "Business adviser in Washington DC, from San Salvador", "US",
        "SV-SS", "cereals;coffee;dairy;poultry;vegetables", "spa;eng",
        interest="SV-SS;SV-LI;SV-SA;SV-SM;SV-US;SV-MO;SV-CH",
        skills=BROAD_SKILLS,
        text="Planes de negocio, finanzas, mercadeo y asistencia técnica.",
        coaching=5, hours=10,
    ),
    member(
        "ana.portillo", "Ana Gladys Portillo", "full",
        "grain agronomist from Chalatenango whose two mentee places are taken",
        "Agronomist in Montreal, from Chalatenango", "CA",
        "SV-CH", "field_crops;cereals", "spa;eng;fra", interest="SV-CH;SV-CA",
        skills="soil_fertility;pest_disease;crop_agronomy",
        coaching=2, hours=6,
    ),
    member(
        "francisco.alvarado", "Francisco Javier Alvarado", "ticket_out_of_range",
        "equity investor, USD 50,000-500,000: far above Kiva loans, no loans",
        "Investor in San Diego, from La Libertad: coffee processing", "US",
        "SV-LI", "coffee;agro_processing", "spa;eng", interest="SV-LI;SV-SS",
        ticket=(50000, 500000, "USD", "equity"),
    ),
    member(
        "kevin.ramirez", "Kevin Ramírez", "no_language",
        "Salvadoran-American who speaks only English: no common language with these farmers",
        "Dairy herd manager in Fresno, parents from Usulután", "US",
        "SV-US", "dairy;beef_cattle", "eng",
        skills="animal_health;animal_husbandry", coaching=2, hours=6,
    ),
    member(
        "marta.chicas", "Marta Lidia Chicas", "other",
        "small lender from Morazán: CAD 500-2,000 loans to grain and poultry farms",
        "Baker in Toronto, from Osicala, Morazán; lends to farms back home", "CA",
        "SV-MO", "cereals;poultry", "spa;eng;fra", interest="SV-MO;SV-SM",
        ticket=(500, 2000, "CAD", "loan"),
    ),
    # --- Cambodia -------------------------------------------------------------------------
    member(
        "chhim.sokha", "Chhim Sokha", "specialist",
        "rice agronomist from Takeo",
        "Rice agronomist in Long Beach, California, from Takeo", "US",
        "KH-21", "rice", "khm;eng", interest="KH-21;KH-8",
        skills="soil_fertility;seed_selection;crop_agronomy;mechanisation",
        text="Rice seed, fertiliser doses, ploughing and harvest services.",
        coaching=3, hours=8,
    ),
    member(
        "meas.sophal", "Meas Sophal", "specialist",
        "cassava and cashew specialist from Kampong Cham",
        "Agronomist in Paris, from Kampong Cham", "FR",
        "KH-3", "roots_tubers;cashew", "khm;fra", interest="KH-3;KH-25;KH-10",
        skills="soil_fertility;pest_disease;post_harvest",
        text="Cassava stems and fertiliser, mealybug, drying and selling chips.",
        coaching=2, hours=6,
    ),
    member(
        "keo.chanthy", "Keo Chanthy", "specialist",
        "cattle and pig vet from Kampong Chhnang",
        "Veterinary nurse in Melbourne, from Kampong Chhnang", "AU",
        "KH-4", "beef_cattle;pigs", "khm;eng", interest="KH-4;KH-21",
        skills="animal_health;animal_husbandry;animal_nutrition",
        coaching=2, hours=6,
    ),
    member(
        "sok.vannak", "Sok Vannak", "generalist",
        "Phnom Penh businessman: five chains, seventeen skills, eight provinces; lends too",
        "Business owner in Lowell, Massachusetts, from Phnom Penh", "US",
        "KH-12", "rice;vegetables;pigs;poultry;cashew", "khm;eng;fra",
        interest="KH-12;KH-8;KH-21;KH-3;KH-25;KH-1;KH-2;KH-10",
        skills=BROAD_SKILLS,
        coaching=4, hours=8, ticket=(500, 5000, "USD", "loan;equity"),
    ),
    member(
        "ly.sreymom", "Ly Sreymom", "full",
        "rice specialist from Battambang whose only mentee place is taken",
        "Crop scientist in Montreal, from Battambang", "CA",
        "KH-2", "rice;field_crops", "khm;eng;fra", interest="KH-2;KH-1",
        skills="soil_fertility;seed_selection;mechanisation",
        coaching=1, hours=4,
    ),
    member(
        "julien.pen", "Julien Pen", "no_language",
        "French-born son of Cambodian parents, speaks no Khmer",
        "Agricultural engineer in Lyon, family from Phnom Penh", "FR",
        "KH-12", "rice", "fra;eng",
        skills="crop_agronomy;mechanisation", coaching=2, hours=6,
    ),
    member(
        "heng.sreynich", "Heng Sreynich", "other",
        "small lender from Banteay Meanchey: AUD 300-3,000 loans to rice farms",
        "Shop owner in Sydney, from Mongkol Borei; lends to rice farmers", "AU",
        "KH-1", "rice;field_crops", "khm;eng", interest="KH-1;KH-2",
        ticket=(300, 3000, "AUD", "loan"),
    ),
    # --- Peru -----------------------------------------------------------------------------
    member(
        "nilda.quispe", "Nilda Quispe Huamán", "specialist",
        "Quechua-speaking coffee and cocoa specialist from Cusco; also lends",
        "Coffee quality grader in Madrid, from Quillabamba, Cusco", "ES",
        "PE-CUS", "coffee;cocoa", "que;spa", interest="PE-CUS;PE-JUN",
        skills="export_certification;soil_fertility;post_harvest;cooperative_governance",
        text="Café y cacao orgánico: abonos, secado, certificación, cooperativas.",
        coaching=2, hours=6, ticket=(500, 5000, "EUR", "loan"),
    ),
    member(
        "segundo.vasquez", "Segundo Vásquez Díaz", "specialist",
        "coffee agronomist from Cajamarca (Cutervo's province)",
        "Agronomist in Paterson, New Jersey, from Jaén, Cajamarca", "US",
        "PE-CAJ", "coffee", "spa;eng", interest="PE-CAJ;PE-AMA",
        skills="soil_fertility;pest_disease;crop_agronomy",
        text="Fertilización del cafetal, roya y broca, renovación de plantas.",
        coaching=3, hours=8,
    ),
    member(
        "rosa.chaponan", "Rosa Elvira Chapoñán", "specialist",
        "livestock specialist from Lambayeque",
        "Animal nutritionist in Milan, from Ferreñafe, Lambayeque", "IT",
        "PE-LAM", "beef_cattle;small_ruminants;pigs", "spa;ita", interest="PE-LAM;PE-CAJ",
        skills="animal_nutrition;animal_health;animal_husbandry",
        text="Engorde de ganado, alimento balanceado, sanidad animal.",
        coaching=2, hours=6,
    ),
    member(
        "luis.castaneda", "Luis Fernando Castañeda", "generalist",
        "Lima consultant: five chains, seventeen skills, eight regions",
        "Agribusiness consultant in Miami, from Lima", "US",
        "PE-LMA", "coffee;cocoa;fruits;beef_cattle;cereals", "spa;eng",
        interest="PE-LMA;PE-LIM;PE-CUS;PE-CAJ;PE-SAM;PE-LAM;PE-ARE;PE-PIU",
        skills=BROAD_SKILLS,
        coaching=5, hours=10,
    ),
    member(
        "wilber.mamani", "Wilber Mamani Condori", "full",
        "Quechua livestock vet from Cusco whose two mentee places are taken",
        "Veterinarian in Santiago de Chile, from Anta, Cusco", "CL",
        "PE-CUS", "dairy;small_ruminants", "que;spa", interest="PE-CUS;PE-PUN",
        skills="animal_health;animal_husbandry;animal_nutrition",
        coaching=2, hours=6,
    ),
    member(
        "carmen.tello", "Carmen Rosa Tello", "other",
        "cocoa investor from San Martín, EUR 20,000-60,000: fits only the large cacao buyer",
        "Chocolate maker in Barcelona, from Tarapoto, San Martín", "ES",
        "PE-SAM", "cocoa;agro_processing", "spa;cat", interest="PE-SAM;PE-HUC",
        ticket=(20000, 60000, "EUR", "loan;equity"),
    ),
    member(
        "jorge.paredes", "Jorge Luis Paredes", "ticket_out_of_range",
        "equity investor, USD 100,000-1,000,000: above every loan here",
        "Investor in New York, from Lima: fruit export", "US",
        "PE-LIM", "fruits;agro_processing", "spa;eng", interest="PE-LIM;PE-ICA",
        ticket=(100000, 1000000, "USD", "equity"),
    ),
    # --- Tajikistan -----------------------------------------------------------------------
    member(
        "rustam.nazarov", "Rustam Nazarov", "specialist",
        "cattle and sheep vet from Khatlon",
        "Veterinarian in Moscow, from Vose, Khatlon", "RU",
        "TJ-KT", "beef_cattle;small_ruminants", "tgk;rus", interest="TJ-KT",
        skills="animal_health;animal_nutrition;animal_husbandry",
        text="Fattening cattle and sheep, winter feed, vaccination.",
        coaching=3, hours=8,
    ),
    member(
        "dilnoza.rakhimova", "Dilnoza Rakhimova", "specialist",
        "horticulture and cotton agronomist from Sughd, speaks Uzbek too",
        "Agronomist in Yekaterinburg, from Isfara, Sughd", "RU",
        "TJ-SU", "fruits;vegetables;cotton", "tgk;uzb;rus", interest="TJ-SU",
        skills="soil_fertility;irrigation;seed_selection;crop_agronomy",
        text="Mineral fertiliser doses, furrow irrigation, melon and vegetable seed.",
        coaching=2, hours=6,
    ),
    member(
        "farrukh.saidov", "Farrukh Saidov", "generalist",
        "Dushanbe businessman: five chains, seventeen skills, every province; lends too",
        "Trader in Moscow, from Dushanbe", "RU",
        "TJ-DU", "fruits;vegetables;dairy;beef_cattle;cotton", "tgk;rus;eng",
        interest="TJ-DU;TJ-SU;TJ-KT;TJ-RA;TJ-GB",
        skills=BROAD_SKILLS,
        coaching=4, hours=8, ticket=(20000, 200000, "RUB", "loan"),
    ),
    member(
        "bakhtiyor.sharipov", "Bakhtiyor Sharipov", "full",
        "cattle vet from Khatlon whose only mentee place is taken",
        "Veterinarian in Almaty, from Kulob, Khatlon", "KZ",
        "TJ-KT", "beef_cattle;dairy", "tgk;rus", interest="TJ-KT",
        skills="animal_health;animal_husbandry",
        coaching=1, hours=4,
    ),
    member(
        "umed.karimov", "Umed Karimov", "ticket_out_of_range",
        "invests RUB 5-10 million: far above these loans",
        "Businessman in Moscow, from Khujand: dried fruit processing", "RU",
        "TJ-SU", "fruits;agro_processing", "tgk;rus", interest="TJ-SU;TJ-DU",
        ticket=(5000000, 10000000, "RUB", "equity;loan"),
    ),
    # --- Nigeria --------------------------------------------------------------------------
    member(
        "abubakar.yusuf", "Abubakar Sani Yusuf", "specialist",
        "maize and soya agronomist from Kaduna, Hausa speaker",
        "Agronomist in Manchester, from Zaria, Kaduna", "GB",
        "NG-KD", "cereals;oilseeds", "hau;eng", interest="NG-KD;NG-KN",
        skills="soil_fertility;seed_selection;crop_agronomy;pest_disease",
        text="Improved maize and soybean seed, fertiliser micro-dosing, striga control.",
        coaching=3, hours=8,
    ),
    member(
        "hadiza.garba", "Hadiza Umar Garba", "specialist",
        "agro-dealer from Kano who knows where good inputs come from; also lends",
        "Farm-supply business owner in Houston, from Kano", "US",
        "NG-KN", "input_supply;cereals", "hau;eng", interest="NG-KN;NG-KD;NG-KT",
        skills="supply_chain;soil_fertility;seed_selection;marketing",
        text="Finding genuine fertiliser and certified seed, buying together, avoiding fakes.",
        coaching=2, hours=6, ticket=(100, 1000, "USD", "loan"),
    ),
    member(
        "olumide.adeyemi", "Olumide Adeyemi", "generalist",
        "Lagos consultant: five chains, seventeen skills, eight states",
        "Agribusiness consultant in London, from Lagos", "GB",
        "NG-LA", "cereals;poultry;aquaculture;roots_tubers;agro_processing", "yor;eng",
        interest="NG-LA;NG-OG;NG-OY;NG-KD;NG-KN;NG-FC;NG-EN;NG-RI",
        skills=BROAD_SKILLS,
        coaching=5, hours=10,
    ),
    member(
        "chinedu.okonkwo", "Chinedu Okonkwo", "other",
        "Igbo agronomist from Enugu: a compatriot from another region sharing only English",
        "Crop scientist in Toronto, from Nsukka, Enugu", "CA",
        "NG-EN", "roots_tubers;rice", "ibo;eng", interest="NG-EN;NG-EB",
        skills="crop_agronomy;soil_fertility;seed_selection",
        coaching=2, hours=6,
    ),
    member(
        "maryam.abdullahi", "Maryam Abdullahi", "full",
        "rice and maize specialist from Zaria whose two mentee places are taken",
        "Seed scientist in Columbus, Ohio, from Zaria, Kaduna", "US",
        "NG-KD", "rice;cereals", "hau;eng", interest="NG-KD",
        skills="seed_selection;crop_agronomy;post_harvest",
        coaching=2, hours=6,
    ),
    member(
        "tunde.bakare", "Tunde Bakare", "ticket_out_of_range",
        "invests GBP 50,000-500,000: far above these loans",
        "Private-equity partner in London, from Ibadan: grain processing", "GB",
        "NG-OY", "cereals;agro_processing", "yor;eng", interest="NG-OY;NG-KD;NG-LA",
        ticket=(50000, 500000, "GBP", "equity;loan"),
    ),
    # --- strangers and neighbours ---------------------------------------------------------
    member(
        "kwame.asante", "Kwame Asante", "stranger",
        "Ghanaian maize agronomist; for Nigeria and Kenya shares only English",
        "Maize agronomist in Columbus, Ohio, from Kumasi", "US",
        "GH-AH", "cereals", "twi;eng", interest="GH-AH;NG-KD;KE-03",
        skills="soil_fertility;seed_selection;crop_agronomy",
        text="Maize fertiliser and seed recommendations for smallholders.",
        coaching=3, hours=8,
    ),
    member(
        "ananya.krishnan", "Ananya Krishnan", "stranger",
        "Indian rice scientist; for the Philippines shares only English",
        "Rice scientist in Davis, California, from Thanjavur", "US",
        "IN-TN", "rice", "tam;eng", interest="IN-TN;PH-02;PH-03",
        skills="seed_selection;soil_fertility;crop_agronomy;pest_disease",
        coaching=2, hours=6,
    ),
    member(
        "edgar.merida", "Edgar Mérida Gómez", "stranger",
        "Guatemalan coffee agronomist: a neighbour for El Salvador, a stranger for Peru",
        "Coffee agronomist in Seattle, from Huehuetenango", "US",
        "GT-13", "coffee;cocoa", "spa;eng", interest="GT-13;PE-CAJ;SV-SM",
        skills="export_certification;soil_fertility;pest_disease",
        text="Roya, fertilización, café especial y certificación.",
        coaching=3, hours=8,
    ),
    member(
        "alejandro.ruiz", "Alejandro Ruiz Treviño", "stranger",
        "Mexican livestock vet: shares only Spanish with Salvadoran and Peruvian farmers",
        "Veterinarian in San Antonio, Texas, from Guadalajara", "US",
        "MX-JAL", "dairy;beef_cattle;pigs", "spa;eng", interest="MX-JAL;SV-SM;PE-LAM",
        skills="animal_health;animal_nutrition;animal_husbandry",
        coaching=3, hours=8,
    ),
    member(
        "yerlan.seitkali", "Yerlan Seitkali", "stranger",
        "Kazakh livestock specialist: shares only Russian with Tajik farmers",
        "Livestock specialist in Omsk, from Shymkent region", "RU",
        "KZ-61", "beef_cattle;small_ruminants", "kaz;rus", interest="KZ-61;TJ-KT;TJ-SU",
        skills="animal_health;animal_husbandry;animal_nutrition",
        coaching=3, hours=8,
    ),
    member(
        "neema.mushi", "Neema Mushi", "stranger",
        "Tanzanian maize agronomist: a neighbour for Kenya, shares Swahili",
        "Agronomist in Birmingham, from Moshi, Kilimanjaro", "GB",
        "TZ-09", "cereals;pulses", "swa;eng", interest="TZ-09;KE-39;KE-03",
        skills="soil_fertility;seed_selection;crop_agronomy",
        coaching=2, hours=6,
    ),
    member(
        "patrick.ssemwogerere", "Patrick Ssemwogerere", "stranger",
        "Ugandan dairy and pig vet: a neighbour for Kenya sharing only English",
        "Veterinarian in Glasgow, from Masaka", "GB",
        "UG-C", "dairy;pigs", "lug;eng", interest="UG-C;KE-03;KE-16",
        skills="animal_health;animal_nutrition",
        coaching=2, hours=6,
    ),
    member(
        "sherzod.tursunov", "Sherzod Tursunov", "stranger",
        "Uzbek horticulturist from Fergana: a neighbour for Tajikistan",
        "Orchard manager in Krasnodar, from Fergana", "RU",
        "UZ-FA", "fruits;vegetables;cotton", "uzb;rus", interest="UZ-FA;TJ-SU",
        skills="irrigation;soil_fertility;crop_agronomy",
        coaching=2, hours=6,
    ),
    member(
        "justina.mamani", "Justina Mamani Choque", "stranger",
        "Quechua-speaking Bolivian agronomist: a neighbour for Peru",
        "Market gardener in Buenos Aires, from Cochabamba", "AR",
        "BO-C", "roots_tubers;cereals;small_ruminants", "que;spa", interest="BO-C;PE-CUS",
        skills="soil_fertility;seed_selection;animal_husbandry",
        coaching=2, hours=6,
    ),
]  # fmt: skip

# Coaching pairings already approved for each member (their current load).
LOAD = {
    "nestor.abuda": 2,
    "esther.gachoki": 1,
    "ana.portillo": 2,
    "ly.sreymom": 1,
    "wilber.mamani": 2,
    "bakhtiyor.sharipov": 1,
    "maryam.abdullahi": 2,
    "cristina.reyes": 2,
    "ramon.villanueva": 1,
    "wycliffe.wanjala": 1,
    "david.njoroge": 3,
    "rustam.nazarov": 2,
    "segundo.vasquez": 1,
}


def _write(name: str, fieldnames: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Rewrite diaspora.csv, diaspora_roles.csv and load.csv."""
    _write("diaspora.csv", COLUMNS, [{c: m[c] for c in COLUMNS} for m in MEMBERS])
    roles = [{"email": m["email"], "archetype": m["_archetype"], "why": m["_why"]} for m in MEMBERS]
    _write("diaspora_roles.csv", ("email", "archetype", "why"), roles)
    load = [
        {"diaspora_email": f"{slug}@example.org", "approved_coaching_pairings": str(count)}
        for slug, count in sorted(LOAD.items())
    ]
    _write("load.csv", ("diaspora_email", "approved_coaching_pairings"), load)
    print(f"wrote {len(MEMBERS)} diaspora members, {len(load)} loads")


if __name__ == "__main__":
    main()
