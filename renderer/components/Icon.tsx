// Result icons as inline SVG: the same on every machine, whatever fonts are installed.
export type IconName = 'check' | 'arrow' | 'question' | 'alert' | 'camera';

const PATHS: Record<IconName, string> = {
  check: 'M14 33 L27 46 L50 20',
  arrow: 'M14 32 H48 M34 18 L48 32 L34 46',
  question: 'M22 24 C22 12 42 12 42 24 C42 32 32 32 32 40 M32 49 V50',
  alert: 'M32 14 V38 M32 48 V50',
  camera: 'M12 22 H22 L26 16 H38 L42 22 H52 V48 H12 Z M32 28 A7 7 0 1 0 32.01 28',
};

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="result-icon" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
