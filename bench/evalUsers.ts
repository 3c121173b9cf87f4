// The users part (a) evaluates, one definition for cognito-auth's child (./evalChild.ts) and the
// peer's (./peerChild.ts): N names with an email each and their passwords (fixed bench values,
// never printed), as the `users` and `passwords` config.

export const userType = "pulumi-nodejs:dynamic/cognito-auth:CognitoUser";
/** The bridged resource the peer program declares. */
export const peerUserType = "aws:cognito/user:User";

export function benchUsers(count: number): { users: Record<string, { email: string }>; passwords: Record<string, string> } {
    const users: Record<string, { email: string }> = {};
    const passwords: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
        const name = `user${String(i).padStart(4, "0")}`;
        users[name] = { email: `${name}@example.com` };
        passwords[name] = `Bench-${i}-Pw#2024x`;
    }
    return { users, passwords };
}
