export function App() {
  return (
    <main>
      <h1>QAC Playground</h1>
      <p>
        Few-step diffusion sampling with Quantized Adaptive Conditions. The playground is coming.
      </p>
    </main>
  );
}
