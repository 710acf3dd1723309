"""Entry point for ``python -m lessonpack``."""

from .apps.cli import main

if __name__ == "__main__":
    main()
