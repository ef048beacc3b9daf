/// <reference types="vite/client" />

/** The backend URL the admin was built for (defined by Medusa's admin bundler). */
declare const __BACKEND_URL__: string | undefined
