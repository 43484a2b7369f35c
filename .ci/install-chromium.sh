#!/usr/bin/env bash
# Installs Debian's Chromium, which renders PNG charts (RouteLLM.MLNet.Plotting.ImageExport). Nothing else may supply a
# browser: PuppeteerSharp's own download needs the internet, which this project's machines do not have.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-chromium: /usr/bin/chromium is missing; run this script as root (it uses apt-get)." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# fonts-dejavu-core gives the chart's text a font even on an image without one.
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
