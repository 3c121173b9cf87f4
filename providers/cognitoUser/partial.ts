// The dynamic-provider host's partial-failure answer, for a create or update that failed after
// it changed something: the error carries the outputs that say exactly what Cognito now holds
// (with the serialized provider the inputs carry), and the engine stores them, so the next
// `pulumi up` sends only the rest. Shared by ./create.ts and ./update.ts.

import { idOf } from "./calls";
import { CognitoCall, CognitoUserInputs, CognitoUserOutputs } from "./plan";

/** The key under which the dynamic-provider host keeps the serialized provider, in inputs and outputs. */
export const providerKey = "__provider";

/**
 * An update that failed after some of its calls went through: the engine stores `properties` as
 * the resource's outputs (the dynamic-provider host's partial-failure answer), so the state says
 * exactly what Cognito holds and the next `pulumi up` sends only the rest (the CLI prints the
 * `reasons`, not the message). They keep the `__provider` the inputs carry, which the host needs
 * to read and delete the resource later.
 */
export function partialUpdateError(
    error: Error,
    user: CognitoUserInputs,
    applied: CognitoCall[],
    outputs: CognitoUserOutputs,
    providerText: unknown,
    before: string[] = [],
) {
    const done = [...before, ...applied.map((call) => call.action)].join(", ");
    error.message += ` (sent before it failed: ${done}; the stack's state records exactly that, so the next \`pulumi up\` sends the rest)`;
    return partialError(error, user, outputs, providerText);
}

/**
 * The dynamic host's partial-failure answer, for create as for update: the engine stores
 * `properties` as the resource's outputs, with the `__provider` the inputs carry.
 */
export function partialError(error: Error, user: CognitoUserInputs, outputs: CognitoUserOutputs, providerText: unknown) {
    const properties = { ...outputs, ...(providerText === undefined ? {} : { [providerKey]: providerText }) };
    return Object.assign(error, { id: idOf(user), properties, reasons: [error.message] });
}
