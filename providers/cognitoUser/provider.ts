// The Cognito user provider: check, diff, create, read, update and delete of one user, as the
// engine's dynamic-provider host calls them (through the loader in ./loader, which answers
// configure, check and diff from ./plan.ts alone). This file holds only the provider object and
// its settings; each operation lives in its own file (./create.ts, ./read.ts, ./update.ts,
// ./delete.ts), the pure parts in ./plan.ts (check and diff among them), the Cognito calls in
// ./calls.ts, the TOTP flows in ./totp*.ts, error texts in ./errors.ts and the client factory in
// ./client.ts.

import type * as pulumi from "@pulumi/pulumi";
import { ClientSettings, operationClient } from "./client";
import { createUser } from "./create";
import { deleteUser, MetUsers } from "./delete";
import { CognitoUserInputs, CognitoUserOutputs, checkUser, createTotpReason, diffUser, normalize, totpNotice } from "./plan";
import { providerKey } from "./partial";
import { readUser } from "./read";
import { updateUser } from "./update";

export type { CognitoUserInputs, CognitoUserOutputs } from "./plan";

export type CognitoUserProvider = pulumi.dynamic.ResourceProvider<CognitoUserInputs, CognitoUserOutputs>;

/**
 * Creates a provider. The loader makes one per host process; tests make their own. Region and
 * profile come from `configure` (the stack's `aws:` config), the rest from the environment.
 */
export function createCognitoUserProvider(): CognitoUserProvider {
    let settings: ClientSettings = {};
    const cognito = () => operationClient(settings);
    const met = new MetUsers();
    return {
        async configure(req) {
            settings = { region: req.config.get("aws:region"), profile: req.config.get("aws:profile") };
        },
        async check(olds, news) {
            const reason = createTotpReason(olds, news);
            if (reason) console.error(totpNotice(news, reason));
            return checkUser(news, olds);
        },
        async diff(_id, olds, news) {
            const result = diffUser(olds, news);
            if (result.totpReason) console.error(totpNotice(news, result.totpReason));
            return result;
        },
        async create(inputs) {
            return createUser(cognito(), normalize(inputs), met, (inputs as unknown as Record<string, unknown>)[providerKey]);
        },
        async read(id, props) {
            return readUser(cognito(), id, props);
        },
        async update(_id, olds, news) {
            return updateUser(cognito(), olds, normalize(news), (news as unknown as Record<string, unknown>)[providerKey]);
        },
        async delete(id, props) {
            return deleteUser(cognito(), id, props, met);
        },
    };
}
