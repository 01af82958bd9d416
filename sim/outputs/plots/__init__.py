"""The figures: each takes an optional `ax`, draws what the analysis computed and
returns the axes; `style` holds the shared look."""
