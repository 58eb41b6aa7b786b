package zrepl

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// ParseError is a zrepl.yml that does not parse into the model or that
// Validate refuses.
type ParseError struct {
	Err error
}

func (e *ParseError) Error() string { return "cannot parse zrepl configuration: " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads zrepl.yml strictly: unknown keys are refused, as zrepl's
// yaml.UnmarshalStrict refuses them, and the result must pass Validate.
// A ParseError says what is wrong and where (line numbers or field paths).
func Parse(data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("config is empty or only consists of comments")
		}
		return nil, &ParseError{Err: err}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, &ParseError{Err: fmt.Errorf("more than one YAML document (a second \"---\" section)")}
	}
	if err := Validate(&c).Err(); err != nil {
		return nil, &ParseError{Err: err}
	}
	return &c, nil
}
