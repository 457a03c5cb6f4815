"""The help directory: services, consulates by nationality, emergency numbers,
and the danger phrases that flag an emergency. Lives in its own database
(var/directory.db), seeded from directory/data/ and then edited there."""
