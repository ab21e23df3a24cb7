4// prodlint-ignore budget -- r
resp, err := c.Create(ctx, req) // prodlint-ignore budget until 2025-01-01
