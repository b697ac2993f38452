"""Pure domain code: plain Python, no Django import. Takes and returns plain data."""
