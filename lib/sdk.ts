// What the program and its components use of @pulumi/pulumi, from the SDK's own module files
// rather than from its index: the index also loads the automation API and the closure serializer
// (with npm's arborist and the TypeScript compiler), 0.4-0.9 s on every `pulumi preview` and
// `up`, which a stack that declares only users never uses. Each name here is the very object the
// index exports (test/pulumiInternals.test.ts checks it after an SDK upgrade). Types still come
// from the index with `import type`, which loads nothing.

export { ComponentResource, CustomResource, mergeOptions } from "@pulumi/pulumi/resource";
export { all, interpolate, output, secret } from "@pulumi/pulumi/output";
export { getProject, getRootDirectory, getStack } from "@pulumi/pulumi/metadata";
export { allConfig } from "@pulumi/pulumi/runtime/config";
// The module object itself (a namespace import would be a copy once compiled by esbuild).
export const log: typeof import("@pulumi/pulumi/log") = require("@pulumi/pulumi/log");
