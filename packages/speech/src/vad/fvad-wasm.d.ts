// The package ships an Emscripten factory without type declarations.
declare module "@echogarden/fvad-wasm" {
  const factory: () => Promise<unknown>;
  export default factory;
}
