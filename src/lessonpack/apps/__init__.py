"""The applications on top of the library: the command line, the live preview, ``collect`` (returned forms into a
marked CSV), ``new`` (a lesson skeleton) and the JSON Schemas for editors."""
