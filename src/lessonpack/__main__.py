"""Entry point for ``python -m lessonpack``."""

from .cli import main

if __name__ == "__main__":
    main()
