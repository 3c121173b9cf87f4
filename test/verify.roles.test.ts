// scripts/verify/roles.ts: the role Cognito's rule gives a user of some groups (CreateGroup,
// Precedence: lowest wins, unset loses to any number, a tie with different roles gives no
// preferred role), with the identity pool's fallback to the authenticated role. A table of cases.

import { expect } from "chai";
import { ExpectedRole, GroupSetting, expectedRole } from "../scripts/verify/roles";

const auth = "arn:aws:iam::123456789012:role/auth";
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

describe("verify script: the role a user's groups give it", function () {
    const cases: {
        what: string;
        userGroups: string[];
        groups: Record<string, GroupSetting>;
        groupRoleArns: Record<string, string>;
        expected: ExpectedRole;
    }[] = [
        {
            what: "a user in two groups with roles: the lowest precedence wins",
            userGroups: ["readers", "admins"],
            groups: { admins: { precedence: 1 }, readers: { precedence: 2 } },
            groupRoleArns: { admins: role("admins-role"), readers: role("readers-role") },
            expected: { roleArn: role("admins-role"), reason: "group admins (precedence 1)", kind: "group" },
        },
        {
            what: "precedence 0 is the highest, not unset",
            userGroups: ["admins", "root"],
            groups: { admins: { precedence: 1 }, root: { precedence: 0 } },
            groupRoleArns: { admins: role("admins-role"), root: role("root-role") },
            expected: { roleArn: role("root-role"), reason: "group root (precedence 0)", kind: "group" },
        },
        {
            what: "a user whose group has no role gets the authenticated role",
            userGroups: ["staff"],
            groups: { staff: { precedence: 0 }, admins: { precedence: 1 } },
            groupRoleArns: { admins: role("admins-role") },
            expected: { roleArn: auth, reason: "no group with a role", kind: "authenticated" },
        },
        {
            what: "a user in no group gets the authenticated role",
            userGroups: [],
            groups: { admins: { precedence: 1 } },
            groupRoleArns: { admins: role("admins-role") },
            expected: { roleArn: auth, reason: "no group with a role", kind: "authenticated" },
        },
        {
            what: "a group without a role does not win by its lower precedence",
            userGroups: ["staff", "readers"],
            groups: { staff: { precedence: 0 }, readers: { precedence: 5 } },
            groupRoleArns: { readers: role("readers-role") },
            expected: { roleArn: role("readers-role"), reason: "group readers (precedence 5)", kind: "group" },
        },
        {
            what: "a tie at the best precedence with different roles: no preferred role, so the authenticated role",
            userGroups: ["b", "a", "c"],
            groups: { a: { precedence: 2 }, b: { precedence: 2 }, c: { precedence: 3 } },
            groupRoleArns: { a: role("a-role"), b: role("b-role"), c: role("c-role") },
            expected: { roleArn: auth, reason: "groups a and b tie at precedence 2 with different roles", kind: "authenticated" },
        },
        {
            what: "a tie of three, named in order",
            userGroups: ["c", "b", "a"],
            groups: { a: { precedence: 2 }, b: { precedence: 2 }, c: { precedence: 2 } },
            groupRoleArns: { a: role("a-role"), b: role("b-role"), c: role("a-role") },
            expected: { roleArn: auth, reason: "groups a, b and c tie at precedence 2 with different roles", kind: "authenticated" },
        },
        {
            what: "a tie with the same role: that role",
            userGroups: ["a", "b"],
            groups: { a: { precedence: 2 }, b: { precedence: 2 } },
            groupRoleArns: { a: role("shared-role"), b: role("shared-role") },
            expected: { roleArn: role("shared-role"), reason: "groups a and b (precedence 2, the same role)", kind: "group" },
        },
        {
            what: "a tie below the best does not matter",
            userGroups: ["a", "b", "top"],
            groups: { a: { precedence: 2 }, b: { precedence: 2 }, top: { precedence: 1 } },
            groupRoleArns: { a: role("a-role"), b: role("b-role"), top: role("top-role") },
            expected: { roleArn: role("top-role"), reason: "group top (precedence 1)", kind: "group" },
        },
        {
            what: "unset precedence loses to any number, even a large one",
            userGroups: ["unset", "last"],
            groups: { unset: {}, last: { precedence: 2 ** 31 - 1 } },
            groupRoleArns: { unset: role("unset-role"), last: role("last-role") },
            expected: { roleArn: role("last-role"), reason: "group last (precedence 2147483647)", kind: "group" },
        },
        {
            what: "one group with a role and no precedence: its role",
            userGroups: ["readers"],
            groups: { readers: {} },
            groupRoleArns: { readers: role("readers-role") },
            expected: { roleArn: role("readers-role"), reason: "group readers (no precedence)", kind: "group" },
        },
        {
            what: "a group missing from the groups setting has no precedence",
            userGroups: ["listed", "unlisted"],
            groups: { listed: { precedence: 9 } },
            groupRoleArns: { listed: role("listed-role"), unlisted: role("unlisted-role") },
            expected: { roleArn: role("listed-role"), reason: "group listed (precedence 9)", kind: "group" },
        },
        {
            what: "two groups without precedence and different roles tie",
            userGroups: ["x", "y"],
            groups: {},
            groupRoleArns: { x: role("x-role"), y: role("y-role") },
            expected: { roleArn: auth, reason: "groups x and y have no precedence and different roles", kind: "authenticated" },
        },
        {
            what: "a group named twice counts once",
            userGroups: ["admins", "admins"],
            groups: { admins: { precedence: 1 } },
            groupRoleArns: { admins: role("admins-role") },
            expected: { roleArn: role("admins-role"), reason: "group admins (precedence 1)", kind: "group" },
        },
        {
            what: "group names that are Object's own keys are plain names",
            userGroups: ["constructor", "__proto__"],
            groups: JSON.parse('{"__proto__": {"precedence": 1}}'),
            groupRoleArns: JSON.parse(`{"__proto__": "${role("proto-role")}"}`),
            expected: { roleArn: role("proto-role"), reason: "group __proto__ (precedence 1)", kind: "group" },
        },
    ];
    for (const c of cases) {
        it(c.what, function () {
            expect(expectedRole(c.userGroups, c.groups, c.groupRoleArns, auth)).to.deep.equal(c.expected);
        });
    }
});
