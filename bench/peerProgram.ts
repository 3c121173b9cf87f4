import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// The bench's peer (part (a)): the same users as cognito-auth's, declared the way a Pulumi program
// without cognito-auth would, as the bridged `aws.cognito.User` (username, email attribute, the
// permanent password from the `passwords` secret) in one user pool, read from the same config
// keys. bench/peerChild.ts evaluates it under the same mocks (harness/program.ts) as index.ts.

const config = new pulumi.Config();
const users = config.requireObject<Record<string, { email: string }>>("users");
const passwords = config.requireSecretObject<Record<string, string>>("passwords");

const pool = new aws.cognito.UserPool("peer-pool", {});
for (const [name, user] of Object.entries(users)) {
    new aws.cognito.User(name, {
        userPoolId: pool.id,
        username: name,
        password: passwords.apply((all) => all[name]),
        attributes: { email: user.email },
    });
}

export const userPoolId = pool.id;
