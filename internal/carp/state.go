package carp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/f3s-storage/terraform-provider-f3s/internal/host"
)

// readState is `ifconfig IF`, without keys.
func readState(ctx context.Context, t host.Target, iface string) (Interface, error) {
	ifs, err := States(ctx, t, iface)
	if err != nil {
		return Interface{}, err
	}
	return ifs[0], nil
}

// States reads the CARP vhids of one interface, or of every interface
// when iface is "" (`ifconfig`, no keys: the data source needs no root).
func States(ctx context.Context, t host.Target, iface string) ([]Interface, error) {
	argv := []string{"ifconfig"}
	if iface != "" {
		argv = append(argv, iface)
	}
	res, err := t.Run(ctx, host.Command{Argv: argv})
	var ce *host.CommandError
	if iface != "" && errors.As(err, &ce) && strings.Contains(ce.Stderr, "interface "+iface+" does not exist") {
		return nil, fmt.Errorf("%s: interface %s: %w", t.Name(), iface, ErrInterfaceMissing)
	}
	if err != nil {
		return nil, err
	}
	ifs, err := ParseIfconfig(string(res.Stdout))
	if err != nil {
		return nil, fmt.Errorf("%s: reading ifconfig: %w", t.Name(), err)
	}
	if iface != "" {
		for _, f := range ifs {
			if f.Name == iface {
				return []Interface{f}, nil
			}
		}
		return nil, fmt.Errorf("%s: ifconfig %s printed no such interface", t.Name(), iface)
	}
	return ifs, nil
}
