"""The analysis layer: from replication records to KPIs, intervals, tables, warm-up,
bottlenecks, capacity, cross-checks and the theory they are checked against."""
