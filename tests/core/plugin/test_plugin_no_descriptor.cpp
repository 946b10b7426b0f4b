// A shared library that is not a voxclone plugin (no descriptor symbol).
extern "C" int voxclone_test_not_a_plugin() { return 42; }
