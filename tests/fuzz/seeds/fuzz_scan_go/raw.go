package llm

import (
	"context"
	openai "github.com/sashabaranov/go-openai"
)

var prompt = `You are a helper.
// prodlint-ignore budget -- inside a raw string
`

func Ask(ctx context.Context, c *openai.Client, q string) (string, error) {
	resp, err := c.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:    openai.GPT4o,
		Messages: []openai.ChatCompletionMessage{{Role: "user", Content: prompt + q}},
	})
	if err != nil {
		return "", err
	}
	return resp.Choices[0].Message.Content, nil
}
