/**
 * The app's client id in the sandbox's directory: the app signs in with it
 * (electron/azure/auth/clouds.ts) and the sandbox registers it (sandbox/seed/directory.ts).
 * Here so that the app knows it without loading the sandbox's code.
 */
export const sandboxClientId = '5a4d5b00-0000-4000-8000-00000000d5f0'
