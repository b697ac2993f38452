"""Machine-readable paper forms: laid out and printed from plain data, read back from photos.

`forms` builds the pages (`attendance_form`, `questionnaire_form`, `suggestion_slip`), `render`
prints them to PDF, `store` keeps their layouts, `read` turns photos and scans back into values
with a confidence and, where a person must look, a flag and its reason (every sheet in a photo);
`synthetic` fills and photographs forms badly on purpose for the tests and `benchmarks/omr.py`;
`handmarks`, which shares nothing with the reader, marks them as hands do (rings, ticks,
scribble-outs, pencil, stray lines) for the tests and `benchmarks/omr_hands.py`.
"""
