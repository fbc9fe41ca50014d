"""Forms of the back-office, one module per topic like the views: they parse, services decide."""
