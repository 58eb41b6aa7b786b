package provider

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestZZExamplesValidate(t *testing.T) {
	for _, d := range []string{"f3s_file", "f3s_file_block", "f3s_file_line", "f3s_cron_job"} {
		t.Run(d, func(t *testing.T) {
			b, err := os.ReadFile("../../examples/resources/" + d + "/resource.tf")
			if err != nil {
				t.Fatal(err)
			}
			cfg := regexp.MustCompile(`(?s)templatefile\(.*?\}\)`).ReplaceAllString(string(b), `"x"`)
			vars := config.Variables{}
			if d == "f3s_file" {
				vars["stunnel_psk"] = config.StringVariable("s")
			}
			unitTest(t, resource.TestCase{Steps: []resource.TestStep{{
				Config:          `provider "f3s" {}` + "\n" + cfg,
				ConfigVariables: vars,
				PlanOnly:        true,
				ExpectError:     regexp.MustCompile(`IMPOSSIBLE`),
			}}})
		})
	}
}
