"""Use cases the App offers beside the pipeline, one class per aggregate (alerts and triage,
users and sessions, watchlist and list versions). The CLI and the web page reach them as
`app.alerts`, `app.users` and `app.versions`; they wrap the storage modules, so that nothing
above the App imports storage."""
