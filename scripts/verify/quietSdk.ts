// Imported first by the entry point, before any AWS SDK module: the SDK warns once per process that
// its releases after January 2027 need Node 22. The project pins an SDK that supports Node 20 (see
// the README), so for verify the warning is only noise on stderr (the tests silence it the same way
// in harness/setup.ts). An explicit setting in the environment is left as it is.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export {};
