// Stand-alone entry for the desk page (renderer/desk/index.html): staff mode only.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import { DeskRoot, deskMode } from './entry';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <DeskRoot mode={deskMode() ?? 'desk'} />
    </StrictMode>,
  );
}
