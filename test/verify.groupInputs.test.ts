// scripts/verify/inputs.ts for group roles: the `groupRoleArns` output, `cognito-auth:groups` and
// `users.<name>.groups`, read only when the stack has group roles; each bad shape refused (exit 2)
// with a message naming the key. No test here prints a password.

import { expect } from "chai";
import { InputError, loadInputs } from "../scripts/verify/inputs";
import { main } from "../scripts/verify/cli";
import { capture, stackConfig, stackOutputs } from "./verify.fixtures";

const admins = "arn:aws:iam::123456789012:role/admins-role-abc";

/** loadInputs with the Pulumi CLI answering these outputs, users and other config objects. */
const load = (outputs: Record<string, unknown>, users: Record<string, unknown> = {}, objects: Record<string, unknown> = {}) =>
    loadInputs({}, async (args) => JSON.stringify(args[0] === "stack" ? stackOutputs(outputs) : stackConfig(users, {}, true, objects)));

async function inputError(promise: Promise<unknown>): Promise<string> {
    const outcome = await promise.then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(outcome, "expected an InputError").to.be.instanceOf(InputError);
    return (outcome as Error).message;
}

describe("verify script: group-role inputs", function () {
    it("reads groupRoleArns, each group's precedence and each user's groups", async function () {
        const inputs = await load(
            { groupRoleArns: { admins, readers: "arn:aws-us-gov:iam::123456789012:role/team/readers-role" } },
            { alice: { groups: ["admins", "readers"] }, bob: {}, carol: { groups: null } },
            {
                "cognito-auth:groups": {
                    admins: { precedence: 1, policyArns: [], description: "x" },
                    readers: { precedence: "7" },
                    staff: {},
                    empty: null,
                },
            },
        );
        expect(inputs.groupRoleArns).to.deep.equal({ admins, readers: "arn:aws-us-gov:iam::123456789012:role/team/readers-role" });
        expect(inputs.groups).to.deep.equal({ admins: { precedence: 1 }, readers: { precedence: 7 }, staff: {}, empty: {} });
        expect(inputs.users.map((u) => [u.username, u.groups])).to.deep.equal([
            ["alice", ["admins", "readers"]],
            ["bob", []],
            ["carol", []],
        ]);
    });

    it("no groups setting: every group has no precedence", async function () {
        const inputs = await load({ groupRoleArns: { admins } }, { alice: { groups: ["admins"] } });
        expect(inputs.groups).to.deep.equal({});
    });

    it("without groupRoleArns (absent, null or empty) nothing about groups is read, not even a bad setting", async function () {
        for (const groupRoleArns of [undefined, null, {}]) {
            const inputs = await load({ groupRoleArns }, { alice: { groups: "admins" } }, { "cognito-auth:groups": ["admins"] });
            expect(inputs.groupRoleArns, JSON.stringify(groupRoleArns)).to.equal(undefined);
            expect(inputs.groups).to.equal(undefined);
            expect(inputs.users[0]).to.deep.equal({ username: "alice", password: undefined, enabled: true });
        }
    });

    const refused: [string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, string][] = [
        [
            "groupRoleArns that is not a map",
            { groupRoleArns: ["admins"] },
            {},
            {},
            "stack output groupRoleArns must be a map of group name to IAM role ARN",
        ],
        [
            "groupRoleArns read without --show-secrets",
            { groupRoleArns: "[secret]" },
            {},
            {},
            `stack output groupRoleArns shows "[secret]": read outputs with 'pulumi stack output --json --show-secrets'`,
        ],
        [
            "a group's role that is not an IAM role ARN",
            { groupRoleArns: { admins: "admins-role" } },
            {},
            {},
            'stack output groupRoleArns.admins must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not "admins-role"',
        ],
        [
            "a group's role that is a user ARN",
            { groupRoleArns: { admins: "arn:aws:iam::123456789012:user/admins" } },
            {},
            {},
            'stack output groupRoleArns.admins must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not "arn:aws:iam::123456789012:user/admins"',
        ],
        [
            "a group's role that is not text",
            { groupRoleArns: { admins: 5 } },
            {},
            {},
            "stack output groupRoleArns.admins must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), not 5",
        ],
        [
            "groups that is not a map",
            { groupRoleArns: { admins } },
            {},
            { "cognito-auth:groups": ["admins"] },
            "config cognito-auth:groups must be a map of group name to settings",
        ],
        [
            "a group that is not a map",
            { groupRoleArns: { admins } },
            {},
            { "cognito-auth:groups": { admins: "yes" } },
            "config cognito-auth:groups.admins must be a map of settings (description, precedence, policyArns, roleArn)",
        ],
        [
            "a user's groups that are not a list",
            { groupRoleArns: { admins } },
            { alice: { groups: "admins" } },
            {},
            'config cognito-auth:users.alice.groups must be a list of group names, not "admins"',
        ],
        [
            "a user's groups that are not all names",
            { groupRoleArns: { admins } },
            { alice: { groups: ["admins", 3] } },
            {},
            'config cognito-auth:users.alice.groups must be a list of group names, not ["admins",3]',
        ],
    ];
    for (const [what, outputs, users, objects, message] of refused) {
        it(`refuses ${what}, naming the key`, async function () {
            expect(await inputError(load(outputs, users, objects))).to.equal(message);
        });
    }

    for (const precedence of [-1, 1.5, 2 ** 31, "x", "-1", "", true, [1]]) {
        it(`refuses precedence ${JSON.stringify(precedence)}`, async function () {
            expect(
                await inputError(load({ groupRoleArns: { admins } }, {}, { "cognito-auth:groups": { admins: { precedence } } })),
            ).to.equal(
                `config cognito-auth:groups.admins.precedence must be a whole number from 0 to 2147483647, not ${JSON.stringify(precedence)}`,
            );
        });
    }

    it("takes precedence 0 and 2^31-1, the bounds", async function () {
        const inputs = await load(
            { groupRoleArns: { admins } },
            {},
            { "cognito-auth:groups": { admins: { precedence: 0 }, b: { precedence: 2 ** 31 - 1 } } },
        );
        expect(inputs.groups).to.deep.equal({ admins: { precedence: 0 }, b: { precedence: 2147483647 } });
    });

    it("main: a bad group setting is an input error, exit 2, with the message and no check run", async function () {
        const printed = capture();
        const runner = async (args: string[]) =>
            JSON.stringify(
                args[0] === "stack"
                    ? stackOutputs({ groupRoleArns: { admins } })
                    : stackConfig({ alice: {} }, { alice: "Alice-Passw0rd#1" }, true, {
                          "cognito-auth:groups": { admins: { precedence: -1 } },
                      }),
            );
        const code = await main(["-s", "dev"], { ...printed.deps, runPulumi: runner });
        expect(code).to.equal(2);
        expect(printed.stdout).to.deep.equal([]);
        expect(printed.stderr).to.deep.equal([
            "verify: config cognito-auth:groups.admins.precedence must be a whole number from 0 to 2147483647, not -1\nRun with --help for usage.",
        ]);
    });
});
