// Built by src/app/build/versionsPlugin.ts: package name -> installed version.
declare module 'virtual:package-versions' {
  const versions: Readonly<Record<string, string>>;
  export default versions;
}
