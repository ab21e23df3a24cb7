package svc

type Client interface{ Create(req Request) error }

type Request struct{ Model string }

func Ask(c Client) error {
	// prodlint-ignore budget/e2e-no-cap -- the Client wrapper sets MaxTokens
	return c.Create(Request{Model: "m"})
}

func AskRaw(c Client) error {
	return c.Create(Request{Model: "m"})
}
