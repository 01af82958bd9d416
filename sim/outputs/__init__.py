"""The outputs: output folders and manifests, the files of each command, terminal tables,
the HTML report and the figures."""
