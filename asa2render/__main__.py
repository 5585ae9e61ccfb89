"""``python -m asa2render`` runs the command-line interface."""

from asa2render.cli.app import main

if __name__ == "__main__":
    main()
