// The embedded config.toml of the test plugins (voxclone_add_plugin generates this for real plugins).
extern "C" const char voxclone_plugin_config_toml[] =
    "[echo]\ngain = 2.0\nlabel = \"x\"\n[other]\nflag = true\n";
