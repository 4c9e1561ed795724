export function Logo() {
  return (
    <span className="inline-flex items-center gap-2 text-lg font-semibold tracking-tight">
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect width="32" height="32" rx="8" fill="#1A244B" />
        <circle cx="16" cy="16" r="7" fill="none" stroke="#FFB76B" strokeWidth="3" />
        <circle cx="22" cy="10" r="2.5" fill="#8A3FFC" />
      </svg>
      Oratio
    </span>
  );
}
