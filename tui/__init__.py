"""Terminal front end of the Numerai upload wizard: the CLI, the Textual app and its screens."""
