package source

import (
	"errors"
	"fmt"
	"strings"

	"github.com/conduit-connectors/conduit-connector-hubspot/config"
	"github.com/conduit-connectors/conduit-connector-hubspot/hubspot"
)

// allResources is the resources value that reads every CRM object type the
// token can read and the account's custom objects.
const allResources = "*"

// resourceSet is what resource and resources name: one resource, a list,
// or every CRM object type (all).
type resourceSet struct {
	resources []hubspot.Resource // the resources named, without all's
	all       bool
	// several says that resources configured the set: properties are
	// qualified with their resource, and the position holds each
	// resource's state, as records of more than one resource may come.
	several bool
}

// resourceSet reads resource and resources. Its errors name the parameter
// at fault.
func (c *Config) resourceSet() (resourceSet, string, error) {
	names := propertyNames(c.Resources)
	switch {
	case c.Resource == "" && len(names) == 0:
		return resourceSet{}, config.KeyResource, fmt.Errorf("is not set: name the HubSpot resource to read, such as contacts, or set %q to several", KeyResources)
	case c.Resource != "" && len(names) > 0:
		return resourceSet{}, KeyResources, fmt.Errorf("is set, and %q is set: set %q to one resource or %q to several, not both", config.KeyResource, config.KeyResource, KeyResources)
	case c.Resource != "":
		return resourceSet{}, "", nil // the resource rule checks it
	}
	// resources, even of one: properties are qualified, and the position
	// holds each resource's state by name.
	set := resourceSet{several: true}
	byName := map[string]string{}
	for _, name := range names {
		if name == allResources {
			if len(names) > 1 {
				return resourceSet{}, KeyResources, fmt.Errorf("%q reads every CRM object type: list no other resource with it", allResources)
			}
			set.all, set.several = true, true
			break
		}
		res, err := config.LookupResource(name)
		if err != nil {
			return resourceSet{}, KeyResources, err
		}
		if err := canRead(res); err != nil {
			return resourceSet{}, KeyResources, err
		}
		if first, ok := byName[res.Name]; ok {
			return resourceSet{}, KeyResources, fmt.Errorf("names %s twice (%q and %q)", res.Name, first, name)
		}
		byName[res.Name] = name
		set.resources = append(set.resources, res)
	}
	for _, p := range []struct {
		key  string
		list []string
	}{{KeyProperties, c.Properties}, {KeyExtraProperties, c.ExtraProperties}, {KeyPropertyHistory, c.PropertyHistory}} {
		if err := set.checkQualified(p.list); err != nil {
			return resourceSet{}, p.key, err
		}
	}
	return set, "", nil
}

// resolve returns the resources of the configuration; all's are found by
// the caller, who asks HubSpot.
func (c *Config) resolve() (resourceSet, error) {
	if c.Resource == "" {
		set, param, err := c.resourceSet()
		if err != nil {
			return resourceSet{}, fmt.Errorf("%q: %w", param, err)
		}
		return set, nil
	}
	res, err := c.HubSpotResource()
	if err != nil {
		return resourceSet{}, err
	}
	if err := canRead(res); err != nil {
		return resourceSet{}, fmt.Errorf("%q: %w", config.KeyResource, err)
	}
	return resourceSet{resources: []hubspot.Resource{res}}, nil
}

// checkQualified checks that, with several resources, each property is
// qualified with one of them (contacts.email).
func (s resourceSet) checkQualified(list []string) error {
	if !s.several {
		return nil
	}
	for _, entry := range propertyNames(list) {
		res, _, err := qualified(entry)
		if err != nil {
			return err
		}
		if !s.all && !s.has(res) {
			return fmt.Errorf("%q: %s is not one of the resources read (%q)", entry, res.Name, KeyResources)
		}
	}
	return nil
}

// has reports whether the set names res.
func (s resourceSet) has(res hubspot.Resource) bool {
	for _, r := range s.resources {
		if r.Name == res.Name {
			return true
		}
	}
	return false
}

// properties returns the names of list that res reads: all of them for a
// single resource, or those qualified with res's name with several.
func (s resourceSet) properties(res hubspot.Resource, list []string) []string {
	if !s.several {
		return propertyNames(list)
	}
	var out []string
	for _, entry := range propertyNames(list) {
		if of, prop, err := qualified(entry); err == nil && of.Name == res.Name {
			out = append(out, prop)
		}
	}
	return out
}

// qualified splits a name qualified with its resource, a property
// ("contacts.email") or a linked type ("deals.companies"), at its last dot:
// neither holds one, while the earlier connector's resource names do
// ("crm.lineItems").
func qualified(entry string) (hubspot.Resource, string, error) {
	i := strings.LastIndexByte(entry, '.')
	if i <= 0 || i == len(entry)-1 {
		return hubspot.Resource{}, "", fmt.Errorf("%q: with several resources, qualify each property with its resource, as in contacts.email", entry)
	}
	res, err := config.LookupResource(entry[:i])
	if err != nil {
		return hubspot.Resource{}, "", fmt.Errorf("%q: %w", entry, err)
	}
	return res, entry[i+1:], nil
}

// errNoResources is the error of a * that found nothing to read.
var errNoResources = errors.New("the access token can read no CRM object type")
