"""Reading a report: the one metric registry (`registry`), aggregates and KPIs (`metrics`), what stands
out (`insights`), this period against the last (`compare`) and the Offer's campaigns (`offer`)."""
