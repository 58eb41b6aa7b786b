package zfs

import (
	"reflect"
	"strings"
	"testing"
)

// tabs turns the reference's ⇥ into TAB characters.
func tabs(s string) string { return strings.ReplaceAll(s, "⇥", "\t") }

// refEncGet is the example of reference §2.2 for zdata/enc.
var refEncGet = tabs(`zdata/enc⇥encryption⇥aes-256-gcm⇥-
zdata/enc⇥keyformat⇥raw⇥-
zdata/enc⇥keylocation⇥file:///keys/f0.lan.buetow.org:zdata.key⇥local
zdata/enc⇥encryptionroot⇥zdata/enc⇥-
zdata/enc⇥keystatus⇥available⇥-
zdata/enc⇥mounted⇥yes⇥-
zdata/enc⇥readonly⇥off⇥default
zdata/enc⇥mountpoint⇥/data/enc⇥inherited from zdata
`)

func TestParseGetReference(t *testing.T) {
	names, props, err := ParseGet(refEncGet)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names, []string{"zdata/enc"}) {
		t.Fatalf("names = %v", names)
	}
	ds := Dataset{Name: "zdata/enc", Props: props["zdata/enc"]}
	checks := []struct{ what, got, want string }{
		{"encryption", ds.Encryption(), "aes-256-gcm"},
		{"keyformat", ds.KeyFormat(), "raw"},
		{"keylocation", ds.KeyLocation(), "file:///keys/f0.lan.buetow.org:zdata.key"},
		{"encryptionroot", ds.EncryptionRoot(), "zdata/enc"},
		{"keystatus", ds.KeyStatus(), "available"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	if !ds.Mounted() || !ds.Encrypted() || !ds.IsEncryptionRoot() {
		t.Errorf("mounted/encrypted/root: %v %v %v", ds.Mounted(), ds.Encrypted(), ds.IsEncryptionRoot())
	}
	mp, src := ds.Mountpoint()
	if mp != "/data/enc" || src != (Source{Kind: SourceInherited, From: "zdata"}) {
		t.Errorf("mountpoint = %q from %+v", mp, src)
	}
	if got := ds.UserProperties(); len(got) != 0 {
		t.Errorf("UserProperties = %v; keylocation has an attribute of its own", got)
	}
	if got := props["zdata/enc"]["readonly"]; got.IsLocal() || got.Source.Kind != SourceDefault {
		t.Errorf("readonly = %+v", got)
	}
}

// The blog's real rows (§2.1, §2.2), as they come out with -H.
func TestParseGetEncryptedChildAndUnencrypted(t *testing.T) {
	out := tabs(`zroot/bhyve/rocky⇥encryption⇥aes-256-gcm⇥-
zroot/bhyve/rocky⇥keylocation⇥none⇥default
zroot/bhyve/rocky⇥keyformat⇥raw⇥-
zroot/bhyve/rocky⇥encryptionroot⇥zroot/bhyve⇥-
zroot/bhyve/rocky⇥keystatus⇥available⇥-
zdata⇥encryption⇥off⇥default
zdata⇥keylocation⇥none⇥default
zdata⇥keyformat⇥none⇥default
zdata⇥encryptionroot⇥-⇥-
zdata⇥keystatus⇥-⇥-
zdata⇥mounted⇥no⇥-
`)
	names, props, err := ParseGet(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names, []string{"zroot/bhyve/rocky", "zdata"}) {
		t.Fatalf("names = %v", names)
	}
	child := Dataset{Name: "zroot/bhyve/rocky", Props: props["zroot/bhyve/rocky"]}
	if !child.Encrypted() || child.IsEncryptionRoot() || child.EncryptionRoot() != "zroot/bhyve" || child.KeyLocation() != "none" {
		t.Errorf("child: %+v", child)
	}
	plain := Dataset{Name: "zdata", Props: props["zdata"]}
	if plain.Encrypted() || plain.EncryptionRoot() != "" || plain.KeyStatus() != "none" || plain.KeyFormat() != "none" || plain.Mounted() {
		t.Errorf("unencrypted: enc=%q root=%q status=%q format=%q", plain.Encryption(), plain.EncryptionRoot(), plain.KeyStatus(), plain.KeyFormat())
	}
}

func TestParseGetValues(t *testing.T) {
	out := tabs("zdata/enc⇥com.example:note⇥a⇥b⇥local\nzdata/enc⇥sharenfs⇥⇥default\nzdata/enc⇥used⇥204800⇥-\n")
	_, props, err := ParseGet(out)
	if err != nil {
		t.Fatal(err)
	}
	ps := props["zdata/enc"]
	if got := ps["com.example:note"]; got.Value != "a\tb" || !got.IsLocal() {
		t.Errorf("a value with a tab: %+v", got)
	}
	if got := ps["sharenfs"]; got.Value != "" || got.Source.Kind != SourceDefault {
		t.Errorf("an empty value: %+v", got)
	}
	if got := (Dataset{Name: "zdata/enc", Props: ps}).Used(); got != 204800 {
		t.Errorf("used = %d", got)
	}
}

func TestParseGetErrors(t *testing.T) {
	tests := []struct{ out, want string }{
		{"zdata\tused\t1\n", "not NAME<TAB>PROPERTY"},
		{"zdata used 1 -\n", "not NAME<TAB>PROPERTY"},
		{"zdata\tused\t1\tsomewhere\n", `unknown property source "somewhere"`},
		{"zdata\tused\t1\tinherited from \n", "unknown property source"},
	}
	for _, tt := range tests {
		_, _, err := ParseGet(tt.out)
		checkErr(t, err, tt.want)
	}
}

func TestParseSource(t *testing.T) {
	tests := []struct {
		in   string
		want Source
	}{
		{"-", Source{Kind: SourceNone}},
		{"default", Source{Kind: SourceDefault}},
		{"local", Source{Kind: SourceLocal}},
		{"temporary", Source{Kind: SourceTemporary}},
		{"received", Source{Kind: SourceReceived}},
		{"inherited from zdata", Source{Kind: SourceInherited, From: "zdata"}},
		{"inherited from zdata/sink/f0", Source{Kind: SourceInherited, From: "zdata/sink/f0"}},
	}
	for _, tt := range tests {
		got, err := ParseSource(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("%+v prints %q, want %q", got, got.String(), tt.in)
		}
	}
}

func TestUserPropertiesAndSettings(t *testing.T) {
	ds := Dataset{Name: "zdata/vol", Props: Properties{
		"type":           {Value: "volume", Source: Source{Kind: SourceNone}},
		"volsize":        {Value: "1073741824", Source: Source{Kind: SourceLocal}},
		"refreservation": {Value: "1109393408", Source: Source{Kind: SourceLocal}},
		"compression":    {Value: "lz4", Source: Source{Kind: SourceLocal}},
		"readonly":       {Value: "on", Source: Source{Kind: SourceInherited, From: "zdata"}},
		"com.example:x":  {Value: "y", Source: Source{Kind: SourceLocal}},
		"used":           {Value: "1", Source: Source{Kind: SourceNone}},
	}}
	want := map[string]string{"compression": "lz4", "com.example:x": "y"}
	if got := ds.UserProperties(); !reflect.DeepEqual(got, want) {
		t.Errorf("UserProperties = %v, want %v", got, want)
	}
	s := ds.Settings()
	if _, ok := s["used"]; ok {
		t.Error("Settings has the statistic used")
	}
	if s["readonly"] != "on" || s["volsize"] != "1073741824" {
		t.Errorf("Settings = %v", s)
	}
}

func TestManagedValues(t *testing.T) {
	// zfs create -o casesensitivity=insensitive -o compression=lz4 zdata/smb
	ds := Dataset{Name: "zdata/smb", Props: Properties{
		"casesensitivity": {Value: "insensitive", Source: Source{Kind: SourceNone}},
		"utf8only":        {Value: "on", Source: Source{Kind: SourceNone}},
		"compression":     {Value: "lz4", Source: Source{Kind: SourceLocal}},
		"atime":           {Value: "off", Source: Source{Kind: SourceInherited, From: "zdata"}},
		"pbkdf2iters":     {Value: "-", Source: Source{Kind: SourceNone}},
	}}
	want := map[string]string{"casesensitivity": "insensitive", "utf8only": "on", "compression": "lz4"}
	if got := ds.ManagedValues(); !reflect.DeepEqual(got, want) {
		t.Fatalf("ManagedValues = %v, want %v", got, want)
	}
	if got := ds.UserProperties(); !reflect.DeepEqual(got, map[string]string{"compression": "lz4"}) {
		t.Fatalf("UserProperties = %v: properties fixed at creation are not adopted", got)
	}
}
