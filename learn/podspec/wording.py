"""Small pieces of English the engine's messages share."""


def count(number: int, noun: str) -> str:
    """A number with its noun, plural unless it is one: "1 restart", "3 restarts"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
