// The page's script: Amplify JS configured from amplify_outputs.json, parsed with parseAmplifyConfig
// and, for cognito-local, given the emulator's address (custom.cognito_auth.user_pool_endpoint) as
// Auth.Cognito.userPoolEndpoint; then a USER_PASSWORD_AUTH sign-in; shows the username and the ID
// token's expiry, or the error.
import { Amplify } from "aws-amplify";
import { fetchAuthSession, getCurrentUser, signIn, signOut } from "aws-amplify/auth";
import { parseAmplifyConfig } from "aws-amplify/utils";

const result = document.getElementById("result")!;
const form = document.getElementById("sign-in") as HTMLFormElement;

function show(text: string, kind: "ok" | "error"): void {
    result.textContent = text;
    result.className = kind;
}

async function configure(): Promise<void> {
    const outputs = await (await fetch("amplify_outputs.json", { cache: "no-store" })).json();
    const config = parseAmplifyConfig(outputs);
    const endpoint: string | undefined = outputs.custom?.cognito_auth?.user_pool_endpoint;
    if (endpoint && config.Auth?.Cognito) config.Auth.Cognito.userPoolEndpoint = endpoint;
    Amplify.configure(config);
    const where = endpoint ? ` at ${endpoint}` : "";
    document.getElementById("pool")!.textContent = `User pool ${outputs.auth.user_pool_id}${where}`;
}

form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = form.elements.namedItem("password") as HTMLInputElement;
    const username = (form.elements.namedItem("username") as HTMLInputElement).value;
    const password = field.value;
    field.value = "";
    show("Signing in...", "ok");
    try {
        await signOut();
        const { isSignedIn, nextStep } = await signIn({ username, password, options: { authFlowType: "USER_PASSWORD_AUTH" } });
        if (!isSignedIn) return show(`Not signed in yet: next step ${nextStep.signInStep}`, "error");
        const user = await getCurrentUser();
        const exp = (await fetchAuthSession()).tokens?.idToken?.payload.exp;
        show(`Signed in as ${user.username}\nID token expires ${exp ? new Date(exp * 1000).toISOString() : "(unknown)"}`, "ok");
    } catch (err) {
        show(`Sign-in failed: ${(err as Error).name}: ${(err as Error).message}`, "error");
    }
});

configure().catch((err) => show(`Could not load amplify_outputs.json: ${(err as Error).message}`, "error"));
