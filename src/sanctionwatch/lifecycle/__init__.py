"""The watchlist lifecycle, one home per concern: `watcher` (live edits of the curated folder),
`lists` (importing official lists and the watchlist they give), `download` (fetching a list
under the HTTP limits every feed obeys) and `rescreen` (durable re-screening of stored
articles against a new watchlist or rule version)."""
