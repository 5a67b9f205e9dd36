// Placeholder until the PostgreSQL migrations land (helper branch pgmig).
export const pgMigrations: string[] = [];
