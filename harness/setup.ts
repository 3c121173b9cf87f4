// Loaded before any test (.mocharc.json) and by the benchmarks. The AWS SDK warns once per
// process that its releases after January 2027 need Node 22; the project pins an SDK that supports
// Node 20 (see the README), so here the warning is only noise. Child processes inherit the setting.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
