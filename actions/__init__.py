"""Custom Rasa actions. Thin: they read the tracker and call `replies`."""
