"""The negotiated text's words inside a message: the plain text quotes them as mail does, each line
opening with "> ", and the in-app pages show those lines as a quotation in English (lang="en"), while the
rest of the message is in the recipient's language."""

from __future__ import annotations

from dataclasses import dataclass

MARK = "> "


@dataclass(frozen=True)
class Part:
    text: str
    quoted: bool  # the compact's English words


def quoted(text: str) -> str:
    """`text` as quoted lines of a message."""
    return "\n".join(f"{MARK}{line}".rstrip() for line in text.splitlines() or [""])


def parts(body: str, *, with_quotes: bool = True) -> list[Part]:
    """The message in runs of lines, each run quoted (its marks taken off) or not. `with_quotes=False`: a
    message that quotes nothing of the compact, whose lines opening with "> " are its writer's own."""
    if not with_quotes:
        return [Part(body, False)]
    runs: list[Part] = []
    for line in body.split("\n"):
        is_quote = line.startswith(MARK) or line == MARK.rstrip()
        text = line[len(MARK):] if is_quote else line
        if runs and runs[-1].quoted == is_quote:
            runs[-1] = Part(f"{runs[-1].text}\n{text}", is_quote)
        else:
            runs.append(Part(text, is_quote))
    return runs
