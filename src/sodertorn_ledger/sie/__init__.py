"""SIE 4 (SIE filformat utgåva 4B, 2008-09-30, sie.se): the format every Swedish
accounting program exchanges books in. The format only, not the books: `model` holds
the records, `read` reads a file (`read_sie`), `write` writes one (`write_sie`); the
lexical rules both share are in `syntax`, the character set in `charset`."""
