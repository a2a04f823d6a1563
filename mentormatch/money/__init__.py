"""Money: exchange rates, conversion to US dollars, and amounts shown as people typed them.

Amounts are stored in the currency people typed. To compare an entrepreneur's request
with an investor's ticket MentorMatch converts both to US dollars with dated indicative
rates (docs/decisions/007-money.md). The package is split by concern:

- `rates`: a rate and the set of latest rates; conversion; which currencies are offered.
- `display`: an amount in its own currency with the dollar figure beside it (Babel).
- `files`: reading rate files (the ECB's euro reference rates, our own CSV format).
- `store`: the `exchange_rates` table: latest rates, storing a loaded file, the seed file.
- `cli`: `flask rates load FILE` and `flask rates list`.
- `templating`: `money()`, `money_range()` and `rate_of()` for the pages.

No Flask in `rates`, `display`, `files` or `store`; the matching engine imports `display`
only, which needs neither Flask nor the database. This file imports nothing on purpose.
"""
