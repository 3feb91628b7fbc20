export default function Broken(): never {
  throw new Error("render boom");
}
