"""Raw pages -> posts: one parser module per forum engine (and news) behind detect + parse."""
