"""Stories: syndicated copies grouped into one story; incidents of nationals held."""
