"""Pieces the vBulletin and XenForo parsers share: line shapes, quotes, signatures, HTML text.

Both engines print a post as a header (author, date, "#N"), a body with quote blocks whose
end a text rendering may not mark, and a tail (edit note, signature, buttons). Text input
is read by line shape (`lines`, `quotes`, `tails`); HTML input by the engines' class names
(`html`).
"""
